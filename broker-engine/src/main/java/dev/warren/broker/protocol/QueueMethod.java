package dev.warren.broker.protocol;

import java.util.Map;

/** The methods of the AMQP 0-9-1 queue class (class id 50), fields in spec order. */
public sealed interface QueueMethod extends AmqpMethod {
  int CLASS_ID = 50;

  @Override
  default int classId() {
    return CLASS_ID;
  }

  record Declare(
      int ticket,
      String queue,
      boolean passive,
      boolean durable,
      boolean exclusive,
      boolean autoDelete,
      boolean nowait,
      Map<String, Object> arguments)
      implements QueueMethod {
    public static final int METHOD_ID = 10;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record DeclareOk(String queue, int messageCount, int consumerCount) implements QueueMethod {
    public static final int METHOD_ID = 11;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record Bind(
      int ticket,
      String queue,
      String exchange,
      String routingKey,
      boolean nowait,
      Map<String, Object> arguments)
      implements QueueMethod {
    public static final int METHOD_ID = 20;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record BindOk() implements QueueMethod {
    public static final int METHOD_ID = 21;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record Purge(int ticket, String queue, boolean nowait) implements QueueMethod {
    public static final int METHOD_ID = 30;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record PurgeOk(int messageCount) implements QueueMethod {
    public static final int METHOD_ID = 31;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record Delete(int ticket, String queue, boolean ifUnused, boolean ifEmpty, boolean nowait)
      implements QueueMethod {
    public static final int METHOD_ID = 40;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record DeleteOk(int messageCount) implements QueueMethod {
    public static final int METHOD_ID = 41;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record Unbind(
      int ticket, String queue, String exchange, String routingKey, Map<String, Object> arguments)
      implements QueueMethod {
    public static final int METHOD_ID = 50;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record UnbindOk() implements QueueMethod {
    public static final int METHOD_ID = 51;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }
}
