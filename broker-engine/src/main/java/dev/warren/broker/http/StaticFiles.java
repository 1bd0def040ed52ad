package dev.warren.broker.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Files served from a directory of the class path, e.g. a web UI packed in the broker's jar. Only
 * GET; {@code /} is {@code index.html}; a path with an empty, {@code .} or {@code ..} segment, or
 * with a separator or NUL inside a segment, never reaches the class loader. Every answer carries a
 * Content-Security-Policy that allows the page's own scripts and styles only.
 */
public final class StaticFiles implements HttpService {
  /** Nothing from elsewhere, no inline script, no framing by other sites. */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none';"
          + " form-action 'self'";

  private static final Map<String, String> CONTENT_TYPES =
      Map.ofEntries(
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("mjs", "text/javascript; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("json", "application/json"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("woff2", "font/woff2"),
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("map", "application/json"));

  private final String root;
  private final ClassLoader loader;
  private final HttpService notFound;

  /**
   * @param root the class-path directory, e.g. {@code warren-ui}
   * @param notFound answers what is not a file there
   */
  public StaticFiles(String root, ClassLoader loader, HttpService notFound) {
    this.root = root;
    this.loader = loader;
    this.notFound = notFound;
  }

  @Override
  public HttpResponse handle(HttpRequest request) {
    List<String> segments = request.segments();
    if (!request.method().equals("GET") || !safe(segments)) {
      return notFound.handle(request);
    }
    String file = segments.isEmpty() ? "index.html" : String.join("/", segments);
    String type = CONTENT_TYPES.get(extension(file));
    if (type == null) {
      return notFound.handle(request);
    }
    try (InputStream in = loader.getResourceAsStream(root + "/" + file)) {
      if (in == null) {
        return notFound.handle(request);
      }
      return new HttpResponse(
          200,
          type,
          in.readAllBytes(),
          Map.of(
              "Content-Security-Policy", CONTENT_SECURITY_POLICY,
              "X-Content-Type-Options", "nosniff",
              "Cache-Control", "no-cache"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + root + "/" + file, e);
    }
  }

  @Override
  public HttpResponse failure(int status, String error, String reason) {
    return notFound.failure(status, error, reason);
  }

  private static boolean safe(List<String> segments) {
    for (String segment : segments) {
      if (segment.isEmpty()
          || segment.equals(".")
          || segment.equals("..")
          || segment.indexOf('/') >= 0
          || segment.indexOf('\\') >= 0
          || segment.indexOf('\0') >= 0) {
        return false;
      }
    }
    return true;
  }

  private static String extension(String file) {
    int dot = file.lastIndexOf('.');
    int slash = file.lastIndexOf('/');
    return dot > slash ? file.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
  }
}
