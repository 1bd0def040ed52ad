package dev.warren.broker.protocol;

import java.util.Map;

/** The methods of the AMQP 0-9-1 connection class (class id 10), fields in spec order. */
public sealed interface ConnectionMethod extends AmqpMethod {
  int CLASS_ID = 10;

  @Override
  default int classId() {
    return CLASS_ID;
  }

  record Start(
      int versionMajor,
      int versionMinor,
      Map<String, Object> serverProperties,
      String mechanisms,
      String locales)
      implements ConnectionMethod {
    public static final int METHOD_ID = 10;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record StartOk(
      Map<String, Object> clientProperties, String mechanism, byte[] response, String locale)
      implements ConnectionMethod {
    public static final int METHOD_ID = 11;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record Secure(byte[] challenge) implements ConnectionMethod {
    public static final int METHOD_ID = 20;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record SecureOk(byte[] response) implements ConnectionMethod {
    public static final int METHOD_ID = 21;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record Tune(int channelMax, int frameMax, int heartbeat) implements ConnectionMethod {
    public static final int METHOD_ID = 30;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record TuneOk(int channelMax, int frameMax, int heartbeat) implements ConnectionMethod {
    public static final int METHOD_ID = 31;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record Open(String virtualHost, String capabilities, boolean insist) implements ConnectionMethod {
    public static final int METHOD_ID = 40;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record OpenOk(String knownHosts) implements ConnectionMethod {
    public static final int METHOD_ID = 41;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  /**
   * The failing method's ids are named for what they mean: {@code classId()} and {@code methodId()}
   * are this method's own ids, as for every {@link AmqpMethod}.
   */
  record Close(int replyCode, String replyText, int failingClassId, int failingMethodId)
      implements ConnectionMethod {
    public static final int METHOD_ID = 50;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record CloseOk() implements ConnectionMethod {
    public static final int METHOD_ID = 51;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record Blocked(String reason) implements ConnectionMethod {
    public static final int METHOD_ID = 60;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record Unblocked() implements ConnectionMethod {
    public static final int METHOD_ID = 61;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record UpdateSecret(byte[] newSecret, String reason) implements ConnectionMethod {
    public static final int METHOD_ID = 70;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record UpdateSecretOk() implements ConnectionMethod {
    public static final int METHOD_ID = 71;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }
}
