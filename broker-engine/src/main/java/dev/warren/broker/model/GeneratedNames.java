package dev.warren.broker.model;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Server-generated names in RabbitMQ's format: a prefix and 16 random bytes as 22 url-safe base64
 * characters, e.g. {@code amq.gen-JzTY20BRgKO-HjmUJj0wLg}.
 */
public final class GeneratedNames {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private GeneratedNames() {}

  public static String queueName() {
    return "amq.gen-" + randomSuffix();
  }

  public static String consumerTag() {
    return "amq.ctag-" + randomSuffix();
  }

  private static String randomSuffix() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return ENCODER.encodeToString(bytes);
  }
}
