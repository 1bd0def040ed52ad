package dev.warren.broker.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;

/**
 * Aggregates a request and its body, refusing bodies above the cap with the service's 413 answer (a
 * JSON reason, not Netty's empty one) before more than the cap is buffered. The connection is
 * closed afterwards: the rest of the body may still be on its way.
 */
final class BodyLimit extends HttpObjectAggregator {
  private final HttpService service;

  BodyLimit(int maxBodyBytes, HttpService service) {
    super(maxBodyBytes);
    this.service = service;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    HttpResponse refusal =
        service.failure(
            413,
            "payload_too_large",
            "request body larger than the limit of %d bytes".formatted(maxContentLength()));
    ctx.writeAndFlush(HttpExchangeHandler.toNetty(refusal, false, false))
        .addListener(ChannelFutureListener.CLOSE);
  }
}
