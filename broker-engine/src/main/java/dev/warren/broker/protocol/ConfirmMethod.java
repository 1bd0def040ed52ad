package dev.warren.broker.protocol;

/** The methods of the AMQP 0-9-1 confirm class (class id 85), fields in spec order. */
public sealed interface ConfirmMethod extends AmqpMethod {
  int CLASS_ID = 85;

  @Override
  default int classId() {
    return CLASS_ID;
  }

  record Select(boolean nowait) implements ConfirmMethod {
    public static final int METHOD_ID = 10;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record SelectOk() implements ConfirmMethod {
    public static final int METHOD_ID = 11;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }
}
