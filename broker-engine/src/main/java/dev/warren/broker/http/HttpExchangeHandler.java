package dev.warren.broker.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP connection: hands each complete request to the service on a worker thread and writes the
 * answer back on the event loop, one request at a time (the socket is not read while a request is
 * being served, so pipelined and flooding clients wait). Refuses malformed requests, requests that
 * take too long to arrive, and connections that idle too long. Event-loop confined except for the
 * service call.
 */
final class HttpExchangeHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final System.Logger LOG = System.getLogger(HttpExchangeHandler.class.getName());

  /**
   * At most this many requests are held back behind the one being served; more close the
   * connection.
   */
  private static final int MAX_PIPELINED = 16;

  private final HttpListenerConfig config;
  private final HttpService service;
  private final Executor workers;

  private final ArrayDeque<Exchange> pipelined = new ArrayDeque<>();
  private ChannelHandlerContext context;
  private ScheduledFuture<?> requestDeadline;
  private boolean serving;

  HttpExchangeHandler(HttpListenerConfig config, HttpService service, Executor workers) {
    this.config = config;
    this.service = service;
    this.workers = workers;
  }

  /**
   * Goes in front of the codec: the first bytes of a request start its clock, so that a client
   * trickling in a request line or headers is cut off too, not only one trickling a body.
   */
  ChannelInboundHandlerAdapter requestClock() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (requestDeadline == null && !serving) {
          requestDeadline =
              ctx.executor()
                  .schedule(
                      HttpExchangeHandler.this::requestTimedOut,
                      config.requestTimeout().toMillis(),
                      TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelRead(msg);
      }
    };
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    context = ctx;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    stopClock();
    ctx.fireChannelInactive();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    stopClock();
    ctx.channel().config().setAutoRead(false);
    Exchange next = admit(ctx, request);
    if (!serving) {
      start(next);
    } else if (pipelined.size() < MAX_PIPELINED) {
      // read in the same burst as the one being served: answered after it, in order
      pipelined.add(next);
    } else {
      ctx.close();
    }
  }

  /** A request taken off the wire: parsed, or already refused. */
  private record Exchange(HttpRequest request, HttpResponse refusal, boolean keepAlive) {}

  private Exchange admit(ChannelHandlerContext ctx, FullHttpRequest request) {
    DecoderResult decoded = request.decoderResult();
    if (decoded.isFailure()) {
      return new Exchange(null, refusal(decoded.cause()), false);
    }
    try {
      return new Exchange(parse(ctx, request), null, HttpUtil.isKeepAlive(request));
    } catch (IllegalArgumentException e) {
      return new Exchange(null, service.failure(400, "bad_request", e.getMessage()), false);
    }
  }

  private void start(Exchange exchange) {
    serving = true;
    if (exchange.refusal() != null) {
      respond(exchange.refusal(), false, false);
      return;
    }
    boolean head = exchange.request().head();
    try {
      workers.execute(() -> serve(exchange.request(), exchange.keepAlive(), head));
    } catch (RejectedExecutionException busy) {
      respond(
          service.failure(503, "service_unavailable", "too many requests in progress"),
          false,
          head);
    }
  }

  /** On a worker thread. */
  private void serve(HttpRequest request, boolean keepAlive, boolean head) {
    HttpResponse response;
    try {
      response = service.handle(request);
    } catch (RuntimeException | LinkageError e) {
      // a class a container hides from the deployment (LinkageError) is answered too: a client
      // left without an answer would wait for ever
      LOG.log(
          System.Logger.Level.ERROR,
          () -> "%s HTTP %s %s failed".formatted(config.name(), request.method(), request.path()),
          e);
      response = service.failure(500, "internal_server_error", String.valueOf(e.getMessage()));
    }
    HttpResponse answer = response;
    context.executor().execute(() -> respond(answer, keepAlive, head));
  }

  private HttpResponse refusal(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return service.failure(414, "uri_too_long", "request line too long");
    }
    if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
      return service.failure(431, "request_header_fields_too_large", "headers too large");
    }
    return service.failure(400, "bad_request", "malformed HTTP request");
  }

  private void requestTimedOut() {
    requestDeadline = null;
    if (serving || !context.channel().isActive()) {
      return;
    }
    LOG.log(
        System.Logger.Level.DEBUG,
        () ->
            "%s HTTP: closing %s, its request did not arrive within %s"
                .formatted(
                    config.name(), context.channel().remoteAddress(), config.requestTimeout()));
    serving = true; // nothing more is read from a client that is cut off
    respond(
        service.failure(408, "request_timeout", "the request did not arrive in time"),
        false,
        false);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent && !serving && requestDeadline == null) {
      ctx.close();
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      LOG.log(System.Logger.Level.DEBUG, () -> config.name() + " HTTP: I/O error", cause);
    } else {
      LOG.log(System.Logger.Level.WARNING, () -> config.name() + " HTTP: " + cause, cause);
    }
    ctx.close();
  }

  private void respond(HttpResponse response, boolean keepAlive, boolean head) {
    if (!context.channel().isActive()) {
      return;
    }
    context
        .writeAndFlush(toNetty(response, keepAlive, head))
        .addListener(
            keepAlive
                ? future -> {
                  if (future.isSuccess()) {
                    next();
                  } else {
                    context.close();
                  }
                }
                : ChannelFutureListener.CLOSE);
  }

  /** After an answer: the next pipelined request, or reading the socket again. */
  private void next() {
    Exchange waiting = pipelined.poll();
    if (waiting != null) {
      start(waiting);
    } else {
      serving = false;
      context.channel().config().setAutoRead(true);
    }
  }

  private void stopClock() {
    if (requestDeadline != null) {
      requestDeadline.cancel(false);
      requestDeadline = null;
    }
  }

  static FullHttpResponse toNetty(HttpResponse response, boolean keepAlive, boolean head) {
    FullHttpResponse netty =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(response.status()),
            head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(response.body()));
    response.headers().forEach((name, value) -> netty.headers().set(name, value));
    if (response.contentType() != null) {
      netty.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
    }
    netty.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
    if (!keepAlive) {
      netty.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return netty;
  }

  private static HttpRequest parse(ChannelHandlerContext ctx, FullHttpRequest request) {
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    Map<String, String> headers = new HashMap<>();
    request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
    boolean head = request.method().equals(HttpMethod.HEAD);
    String rawPath = uri.rawPath();
    return new HttpRequest(
        head ? "GET" : request.method().name(),
        rawPath,
        PathSegments.decode(rawPath),
        uri.parameters(),
        headers,
        ByteBufUtil.getBytes(request.content()),
        ctx.channel().remoteAddress() instanceof InetSocketAddress peer ? peer.getAddress() : null,
        head);
  }
}
