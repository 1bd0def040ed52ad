package dev.warren.broker.security;

import java.util.regex.Pattern;

/**
 * One user's rights in one virtual host: three regular expressions matched against resource names
 * (find-anywhere, as Erlang's re:run; anchor them with ^ and $). RabbitMQ reads an empty pattern as
 * "^$", which matches no named resource.
 */
public record Permission(Pattern configure, Pattern write, Pattern read) {

  /** What an operation does to a resource, per RabbitMQ's access-control table. */
  public enum Kind {
    CONFIGURE,
    WRITE,
    READ
  }

  public static final Permission ALL = of(".*", ".*", ".*");

  public static Permission of(String configure, String write, String read) {
    return new Permission(compile(configure), compile(write), compile(read));
  }

  public boolean permits(Kind kind, String resourceName) {
    Pattern pattern =
        switch (kind) {
          case CONFIGURE -> configure;
          case WRITE -> write;
          case READ -> read;
        };
    return pattern.matcher(resourceName).find();
  }

  private static Pattern compile(String regex) {
    return Pattern.compile(regex == null || regex.isEmpty() ? "^$" : regex);
  }
}
