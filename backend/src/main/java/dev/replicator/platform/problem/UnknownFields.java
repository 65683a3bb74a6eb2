package dev.replicator.platform.problem;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Extracts the offending field name from the JSON library's "Unknown property" message. */
final class UnknownFields {

  private static final Pattern PROPERTY = Pattern.compile("Unknown property \\[([^\\]]{1,100})]");

  private UnknownFields() {}

  static String describe(String message) {
    Matcher matcher = PROPERTY.matcher(message);
    return matcher.find() ? "'" + matcher.group(1) + "'" : "an unknown field";
  }
}
