package dev.warren.broker.protocol;

/** The methods of the AMQP 0-9-1 channel class (class id 20), fields in spec order. */
public sealed interface ChannelMethod extends AmqpMethod {
  int CLASS_ID = 20;

  @Override
  default int classId() {
    return CLASS_ID;
  }

  record Open(String outOfBand) implements ChannelMethod {
    public static final int METHOD_ID = 10;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record OpenOk(String channelId) implements ChannelMethod {
    public static final int METHOD_ID = 11;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record Flow(boolean active) implements ChannelMethod {
    public static final int METHOD_ID = 20;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record FlowOk(boolean active) implements ChannelMethod {
    public static final int METHOD_ID = 21;

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
      implements ChannelMethod {
    public static final int METHOD_ID = 40;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record CloseOk() implements ChannelMethod {
    public static final int METHOD_ID = 41;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }
}
