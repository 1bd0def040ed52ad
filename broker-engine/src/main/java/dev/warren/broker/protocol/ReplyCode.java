package dev.warren.broker.protocol;

/**
 * The reply codes of AMQP 0-9-1. A soft error closes only the channel it happened on; a hard error
 * closes the whole connection.
 */
public enum ReplyCode {
  REPLY_SUCCESS(200, false),
  CONTENT_TOO_LARGE(311, false),
  NO_ROUTE(312, false),
  NO_CONSUMERS(313, false),
  ACCESS_REFUSED(403, false),
  NOT_FOUND(404, false),
  RESOURCE_LOCKED(405, false),
  PRECONDITION_FAILED(406, false),
  CONNECTION_FORCED(320, true),
  INVALID_PATH(402, true),
  FRAME_ERROR(501, true),
  SYNTAX_ERROR(502, true),
  COMMAND_INVALID(503, true),
  CHANNEL_ERROR(504, true),
  UNEXPECTED_FRAME(505, true),
  RESOURCE_ERROR(506, true),
  NOT_ALLOWED(530, true),
  NOT_IMPLEMENTED(540, true),
  INTERNAL_ERROR(541, true);

  private final int code;
  private final boolean closesConnection;

  ReplyCode(int code, boolean closesConnection) {
    this.code = code;
    this.closesConnection = closesConnection;
  }

  public int code() {
    return code;
  }

  public boolean closesConnection() {
    return closesConnection;
  }

  /** The constant's name as it appears in reply texts, e.g. "NOT_FOUND". */
  public String label() {
    return name();
  }

  public static ReplyCode of(int code) {
    for (ReplyCode replyCode : values()) {
      if (replyCode.code == code) {
        return replyCode;
      }
    }
    throw new IllegalArgumentException("no AMQP reply code " + code);
  }
}
