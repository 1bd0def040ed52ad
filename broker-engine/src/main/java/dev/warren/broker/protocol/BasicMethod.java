package dev.warren.broker.protocol;

import java.util.Map;

/** The methods of the AMQP 0-9-1 basic class (class id 60), fields in spec order. */
public sealed interface BasicMethod extends AmqpMethod {
  int CLASS_ID = 60;

  @Override
  default int classId() {
    return CLASS_ID;
  }

  record Qos(int prefetchSize, int prefetchCount, boolean global) implements BasicMethod {
    public static final int METHOD_ID = 10;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record QosOk() implements BasicMethod {
    public static final int METHOD_ID = 11;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record Consume(
      int ticket,
      String queue,
      String consumerTag,
      boolean noLocal,
      boolean noAck,
      boolean exclusive,
      boolean nowait,
      Map<String, Object> arguments)
      implements BasicMethod {
    public static final int METHOD_ID = 20;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record ConsumeOk(String consumerTag) implements BasicMethod {
    public static final int METHOD_ID = 21;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record Cancel(String consumerTag, boolean nowait) implements BasicMethod {
    public static final int METHOD_ID = 30;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record CancelOk(String consumerTag) implements BasicMethod {
    public static final int METHOD_ID = 31;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record Publish(
      int ticket, String exchange, String routingKey, boolean mandatory, boolean immediate)
      implements BasicMethod {
    public static final int METHOD_ID = 40;

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public boolean hasContent() {
      return true;
    }
  }

  record Return(int replyCode, String replyText, String exchange, String routingKey)
      implements BasicMethod {
    public static final int METHOD_ID = 50;

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public boolean hasContent() {
      return true;
    }
  }

  record Deliver(
      String consumerTag, long deliveryTag, boolean redelivered, String exchange, String routingKey)
      implements BasicMethod {
    public static final int METHOD_ID = 60;

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public boolean hasContent() {
      return true;
    }
  }

  record Get(int ticket, String queue, boolean noAck) implements BasicMethod {
    public static final int METHOD_ID = 70;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record GetOk(
      long deliveryTag, boolean redelivered, String exchange, String routingKey, int messageCount)
      implements BasicMethod {
    public static final int METHOD_ID = 71;

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public boolean hasContent() {
      return true;
    }
  }

  record GetEmpty(String clusterId) implements BasicMethod {
    public static final int METHOD_ID = 72;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record Ack(long deliveryTag, boolean multiple) implements BasicMethod {
    public static final int METHOD_ID = 80;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record Reject(long deliveryTag, boolean requeue) implements BasicMethod {
    public static final int METHOD_ID = 90;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record RecoverAsync(boolean requeue) implements BasicMethod {
    public static final int METHOD_ID = 100;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record Recover(boolean requeue) implements BasicMethod {
    public static final int METHOD_ID = 110;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record RecoverOk() implements BasicMethod {
    public static final int METHOD_ID = 111;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record Nack(long deliveryTag, boolean multiple, boolean requeue) implements BasicMethod {
    public static final int METHOD_ID = 120;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }
}
