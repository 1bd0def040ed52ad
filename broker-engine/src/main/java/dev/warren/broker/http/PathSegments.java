package dev.warren.broker.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a raw path into percent-decoded segments. Each segment is decoded on its own, so {@code
 * /api/queues/%2F/q} is the three segments {@code api}, {@code queues}, {@code /} and {@code q}.
 * {@code +} stays a plus (it only means a space in query strings).
 */
final class PathSegments {
  private PathSegments() {}

  /**
   * @throws IllegalArgumentException for a path that is not absolute, a bad percent escape or bytes
   *     that are not UTF-8
   */
  static List<String> decode(String rawPath) {
    if (!rawPath.startsWith("/")) {
      throw new IllegalArgumentException("the request path must start with '/'");
    }
    List<String> segments = new ArrayList<>();
    String[] parts = rawPath.substring(1).split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      if (i == parts.length - 1 && parts[i].isEmpty()) {
        break; // a trailing slash
      }
      segments.add(decodeSegment(parts[i]));
    }
    return segments;
  }

  private static String decodeSegment(String segment) {
    if (segment.indexOf('%') < 0) {
      return segment;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c != '%') {
        byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(encoded, 0, encoded.length);
        continue;
      }
      if (i + 2 >= segment.length()) {
        throw new IllegalArgumentException("bad percent escape in the request path");
      }
      int high = Character.digit(segment.charAt(i + 1), 16);
      int low = Character.digit(segment.charAt(i + 2), 16);
      if (high < 0 || low < 0) {
        throw new IllegalArgumentException("bad percent escape in the request path");
      }
      bytes.write(high * 16 + low);
      i += 2;
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("the request path is not UTF-8");
    }
  }
}
