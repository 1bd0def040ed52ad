package dev.warren.broker.protocol;

/** The methods of the AMQP 0-9-1 access class (class id 30), fields in spec order. */
public sealed interface AccessMethod extends AmqpMethod {
  int CLASS_ID = 30;

  @Override
  default int classId() {
    return CLASS_ID;
  }

  record Request(
      String realm, boolean exclusive, boolean passive, boolean active, boolean write, boolean read)
      implements AccessMethod {
    public static final int METHOD_ID = 10;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record RequestOk(int ticket) implements AccessMethod {
    public static final int METHOD_ID = 11;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }
}
