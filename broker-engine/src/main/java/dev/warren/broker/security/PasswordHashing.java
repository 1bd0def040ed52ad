package dev.warren.broker.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * RabbitMQ's password hashes, so that users exported from RabbitMQ can be imported: base64 of a
 * 4-byte random salt followed by HASH(salt ++ UTF-8 password).
 */
public enum PasswordHashing {
  SHA256("rabbit_password_hashing_sha256", "SHA-256"),
  SHA512("rabbit_password_hashing_sha512", "SHA-512"),
  MD5("rabbit_password_hashing_md5", "MD5");

  private static final int SALT_LENGTH = 4;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String rabbitName;
  private final String jdkAlgorithm;

  PasswordHashing(String rabbitName, String jdkAlgorithm) {
    this.rabbitName = rabbitName;
    this.jdkAlgorithm = jdkAlgorithm;
  }

  /** The name in a definitions file's hashing_algorithm field. */
  public String rabbitName() {
    return rabbitName;
  }

  /**
   * The algorithm for a hashing_algorithm value. Exports from RabbitMQ before 3.6 have no such
   * field and MD5 hashes; the hash's length tells the algorithm apart then.
   */
  public static PasswordHashing named(String rabbitName, String passwordHash) {
    if (rabbitName == null || rabbitName.isEmpty()) {
      return byLength(passwordHash);
    }
    for (PasswordHashing hashing : values()) {
      if (hashing.rabbitName.equals(rabbitName)) {
        return hashing;
      }
    }
    throw new IllegalArgumentException("unsupported hashing_algorithm " + rabbitName);
  }

  private static PasswordHashing byLength(String passwordHash) {
    int length;
    try {
      length = passwordHash == null ? 0 : Base64.getDecoder().decode(passwordHash).length;
    } catch (IllegalArgumentException e) {
      length = 0;
    }
    return switch (length - SALT_LENGTH) {
      case 16 -> MD5;
      case 64 -> SHA512;
      default -> SHA256;
    };
  }

  /** A new salted hash of the password, in the password_hash format. */
  public String hash(String password) {
    byte[] salt = new byte[SALT_LENGTH];
    RANDOM.nextBytes(salt);
    return Base64.getEncoder().encodeToString(saltedHash(salt, password));
  }

  /** Whether the password matches; compares in constant time so timing leaks nothing. */
  public boolean matches(String passwordHash, String password) {
    byte[] stored;
    try {
      stored = Base64.getDecoder().decode(passwordHash);
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (stored.length <= SALT_LENGTH) {
      return false; // RabbitMQ stores an empty hash for users that may not log in by password
    }
    byte[] salt = new byte[SALT_LENGTH];
    System.arraycopy(stored, 0, salt, 0, SALT_LENGTH);
    return MessageDigest.isEqual(stored, saltedHash(salt, password));
  }

  private byte[] saltedHash(byte[] salt, String password) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance(jdkAlgorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + jdkAlgorithm, e);
    }
    digest.update(salt);
    byte[] hash = digest.digest(password.getBytes(StandardCharsets.UTF_8));
    byte[] result = new byte[SALT_LENGTH + hash.length];
    System.arraycopy(salt, 0, result, 0, SALT_LENGTH);
    System.arraycopy(hash, 0, result, SALT_LENGTH, hash.length);
    return result;
  }
}
