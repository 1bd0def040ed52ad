package dev.warren.broker.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/** RabbitMQ's salted hashes: base64(salt ++ HASH(salt ++ password)) with a 4-byte salt. */
class PasswordHashingTest {

  @Test
  void knownHashesOfEachAlgorithmMatchTheirPassword() {
    // computed independently (Python hashlib) with the salts 908dc60a and 01020304
    assertTrue(
        PasswordHashing.SHA256.matches(
            "kI3GCkwidbNLQtNlauSvDxHDzz3IO+MCqP9YQ8IPMmUonl9G", "s3cret"));
    assertTrue(
        PasswordHashing.SHA512.matches(
            "AQIDBJI2yQQ1Neg30pob+8hkYUM1v4PXKNj0SQsACOdiROtY9rg4njiCt+kxn20grZ0gqjljOZFdD6T+LR1KKztwlAY=",
            "s3cret"));
    // from a RabbitMQ 3.0 export
    assertTrue(PasswordHashing.MD5.matches("AsYO2ESs62RcsxNVyxKaR5DGxVI=", "guest"));
  }

  @Test
  void aWrongPasswordOrABrokenHashDoesNotMatch() {
    assertFalse(
        PasswordHashing.SHA256.matches(
            "kI3GCkwidbNLQtNlauSvDxHDzz3IO+MCqP9YQ8IPMmUonl9G", "s3cres"));
    assertFalse(PasswordHashing.SHA256.matches("not base64 at all!", "s3cret"));
    assertFalse(PasswordHashing.SHA256.matches("", ""));
  }

  @Test
  void newHashesAreSaltedAndVerify() {
    String first = PasswordHashing.SHA256.hash("pw");
    String second = PasswordHashing.SHA256.hash("pw");

    assertNotEquals(first, second);
    assertEquals(4 + 32, Base64.getDecoder().decode(first).length);
    assertTrue(PasswordHashing.SHA256.matches(first, "pw"));
    assertTrue(PasswordHashing.SHA256.matches(second, "pw"));
  }

  @Test
  void theAlgorithmIsNamedAsInRabbitMqOrToldByTheHashLength() {
    assertEquals(
        PasswordHashing.SHA512, PasswordHashing.named("rabbit_password_hashing_sha512", ""));
    assertEquals(PasswordHashing.MD5, PasswordHashing.named(null, "AsYO2ESs62RcsxNVyxKaR5DGxVI="));
    assertEquals(
        PasswordHashing.SHA256,
        PasswordHashing.named(null, "kI3GCkwidbNLQtNlauSvDxHDzz3IO+MCqP9YQ8IPMmUonl9G"));
    assertThrows(
        IllegalArgumentException.class,
        () -> PasswordHashing.named("rabbit_password_hashing_x", ""));
  }
}
