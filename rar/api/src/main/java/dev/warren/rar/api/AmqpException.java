package dev.warren.rar.api;

/** The broker refused an operation; the reply code is RabbitMQ's (e.g. 404, 406). */
public class AmqpException extends RuntimeException {
  private final int replyCode;

  public AmqpException(int replyCode, String message, Throwable cause) {
    super(message, cause);
    this.replyCode = replyCode;
  }

  /** The AMQP reply code, or 0 if the failure was not the broker's answer (e.g. a timeout). */
  public int replyCode() {
    return replyCode;
  }
}
