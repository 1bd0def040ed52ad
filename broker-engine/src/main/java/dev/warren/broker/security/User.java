package dev.warren.broker.security;

import java.util.List;

/**
 * A user as in RabbitMQ's definitions: a salted password hash (empty: no password login, e.g. a
 * user that authenticates with a client certificate) and tags such as "administrator".
 */
public record User(String name, String passwordHash, PasswordHashing hashing, List<String> tags) {

  public User {
    tags = List.copyOf(tags);
  }

  public static User withPassword(String name, String password, List<String> tags) {
    return new User(name, PasswordHashing.SHA256.hash(password), PasswordHashing.SHA256, tags);
  }

  public boolean passwordMatches(String password) {
    return password != null && hashing.matches(passwordHash, password);
  }

  @Override
  public String toString() {
    return "User[" + name + ", tags=" + tags + "]"; // never the hash
  }
}
