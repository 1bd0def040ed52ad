package dev.warren.broker.protocol;

import java.util.Map;

/** The methods of the AMQP 0-9-1 exchange class (class id 40), fields in spec order. */
public sealed interface ExchangeMethod extends AmqpMethod {
  int CLASS_ID = 40;

  @Override
  default int classId() {
    return CLASS_ID;
  }

  record Declare(
      int ticket,
      String exchange,
      String type,
      boolean passive,
      boolean durable,
      boolean autoDelete,
      boolean internal,
      boolean nowait,
      Map<String, Object> arguments)
      implements ExchangeMethod {
    public static final int METHOD_ID = 10;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record DeclareOk() implements ExchangeMethod {
    public static final int METHOD_ID = 11;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record Delete(int ticket, String exchange, boolean ifUnused, boolean nowait)
      implements ExchangeMethod {
    public static final int METHOD_ID = 20;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record DeleteOk() implements ExchangeMethod {
    public static final int METHOD_ID = 21;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record Bind(
      int ticket,
      String destination,
      String source,
      String routingKey,
      boolean nowait,
      Map<String, Object> arguments)
      implements ExchangeMethod {
    public static final int METHOD_ID = 30;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record BindOk() implements ExchangeMethod {
    public static final int METHOD_ID = 31;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record Unbind(
      int ticket,
      String destination,
      String source,
      String routingKey,
      boolean nowait,
      Map<String, Object> arguments)
      implements ExchangeMethod {
    public static final int METHOD_ID = 40;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record UnbindOk() implements ExchangeMethod {
    public static final int METHOD_ID = 51;

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }
}
