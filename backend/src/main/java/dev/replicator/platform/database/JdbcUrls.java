package dev.replicator.platform.database;

/** Helpers for logging JDBC URLs without leaking passwords embedded in them. */
public final class JdbcUrls {

  private JdbcUrls() {}

  public static String withoutCredentials(String url) {
    int query = url.indexOf('?');
    String base = query < 0 ? url : url.substring(0, query);
    return base.replaceAll("//[^/@]*@", "//");
  }
}
