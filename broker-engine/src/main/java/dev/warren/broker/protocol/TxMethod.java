package dev.warren.broker.protocol;

/** The methods of the AMQP 0-9-1 tx class (class id 90), fields in spec order. */
public sealed interface TxMethod extends AmqpMethod {
  int CLASS_ID = 90;

  @Override
  default int classId() {
    return CLASS_ID;
  }

  record Select() implements TxMethod {
    public static final int METHOD_ID = 10;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record SelectOk() implements TxMethod {
    public static final int METHOD_ID = 11;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record Commit() implements TxMethod {
    public static final int METHOD_ID = 20;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record CommitOk() implements TxMethod {
    public static final int METHOD_ID = 21;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record Rollback() implements TxMethod {
    public static final int METHOD_ID = 30;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record RollbackOk() implements TxMethod {
    public static final int METHOD_ID = 31;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }
}
