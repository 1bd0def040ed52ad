package dev.warren.broker.protocol;

/**
 * Input that cannot be decoded. Thrown inside the codec only: {@link FrameDecoder} turns it into a
 * {@link Frame.Malformed} so that nothing escapes to Netty. No stack trace, because hostile input
 * can make this frequent and the trace would only ever point into the codec.
 */
public final class DecodeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ReplyCode replyCode;

  public DecodeException(ReplyCode replyCode, String message) {
    super(message, null, false, false);
    this.replyCode = replyCode;
  }

  public ReplyCode replyCode() {
    return replyCode;
  }
}
