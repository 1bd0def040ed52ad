package dev.warren.broker.http;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * A complete HTTP request as services see it, free of Netty types so that any front door can make
 * one.
 *
 * @param method upper case, e.g. {@code GET}; a HEAD request arrives as GET with {@code head} set
 * @param path the raw path, still percent-encoded
 * @param segments the path's segments, each percent-decoded on its own (so {@code %2F} inside a
 *     segment stays inside it); a trailing slash gives no empty last segment
 * @param query the query parameters, decoded
 * @param headers header values by lower-case name (the last one wins)
 * @param body the request body, empty if none
 * @param peer the client's address
 * @param head whether the client asked with HEAD (the body of the answer is dropped)
 */
public record HttpRequest(
    String method,
    String path,
    List<String> segments,
    Map<String, List<String>> query,
    Map<String, String> headers,
    byte[] body,
    InetAddress peer,
    boolean head) {

  public HttpRequest {
    segments = List.copyOf(segments);
    query = Map.copyOf(query);
    headers = Map.copyOf(headers);
  }

  /** A header's value, or null; {@code name} in any case. */
  public String header(String name) {
    return headers.get(name.toLowerCase(java.util.Locale.ROOT));
  }

  /** The first value of a query parameter, or null. */
  public String queryParameter(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
