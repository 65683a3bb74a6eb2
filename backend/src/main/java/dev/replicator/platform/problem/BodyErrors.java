package dev.replicator.platform.problem;

/**
 * Shortens the JSON parser's message to the part a client can use (what was unexpected and where),
 * leaving out Java type names.
 */
final class BodyErrors {

  private static final int MAX = 200;

  private BodyErrors() {}

  static String summarize(String message) {
    String text = message;
    int due = text.indexOf("due to: ");
    if (due >= 0) {
      text = text.substring(due + "due to: ".length());
    }
    text =
        text.replaceAll("(?s)\\s*at \\[Source.*", "")
            .replaceAll("dev\\.replicator\\.[\\w.$]+", "the request")
            .replaceAll("[a-z]+(\\.[a-z]+)+\\.([A-Z]\\w*)", "$2")
            .replaceAll("\\s+", " ")
            .trim();
    return text.length() > MAX ? text.substring(0, MAX) + "…" : text;
  }
}
