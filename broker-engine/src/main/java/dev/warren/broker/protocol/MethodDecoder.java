package dev.warren.broker.protocol;

import static dev.warren.broker.protocol.AmqpPrimitives.bit;
import static dev.warren.broker.protocol.AmqpPrimitives.readLongBytes;
import static dev.warren.broker.protocol.AmqpPrimitives.readLongString;
import static dev.warren.broker.protocol.AmqpPrimitives.readShortString;

import io.netty.buffer.ByteBuf;
import java.util.Map;

/**
 * Decodes the payload of a method frame: class id, method id, then the arguments in spec order,
 * consecutive bit arguments packed into octets from the lowest bit up. One line per method, so the
 * code reads like the spec table that {@code ProtocolMatchesSpecTest} checks the records against.
 */
final class MethodDecoder {
  private MethodDecoder() {}

  /**
   * Throws {@link DecodeException} (540 for an unknown class or method, 501 for arguments that do
   * not match) or {@link IndexOutOfBoundsException} when the arguments are truncated.
   */
  static AmqpMethod decode(ByteBuf in) {
    int classId = in.readUnsignedShort();
    int methodId = in.readUnsignedShort();
    AmqpMethod method =
        switch (classId) {
          case ConnectionMethod.CLASS_ID -> connection(methodId, in);
          case ChannelMethod.CLASS_ID -> channel(methodId, in);
          case AccessMethod.CLASS_ID -> access(methodId, in);
          case ExchangeMethod.CLASS_ID -> exchange(methodId, in);
          case QueueMethod.CLASS_ID -> queue(methodId, in);
          case BasicMethod.CLASS_ID -> basic(methodId, in);
          case TxMethod.CLASS_ID -> tx(methodId, in);
          case ConfirmMethod.CLASS_ID -> confirm(methodId, in);
          default -> throw unknown(classId, methodId);
        };
    if (in.isReadable()) {
      throw new DecodeException(
          ReplyCode.FRAME_ERROR, in.readableBytes() + " octets after the last argument");
    }
    return method;
  }

  private static ConnectionMethod connection(int methodId, ByteBuf in) {
    return switch (methodId) {
      case ConnectionMethod.Start.METHOD_ID ->
          new ConnectionMethod.Start(
              in.readUnsignedByte(),
              in.readUnsignedByte(),
              table(in),
              readLongString(in),
              readLongString(in));
      case ConnectionMethod.StartOk.METHOD_ID ->
          new ConnectionMethod.StartOk(
              table(in), readShortString(in), readLongBytes(in), readShortString(in));
      case ConnectionMethod.Secure.METHOD_ID -> new ConnectionMethod.Secure(readLongBytes(in));
      case ConnectionMethod.SecureOk.METHOD_ID -> new ConnectionMethod.SecureOk(readLongBytes(in));
      case ConnectionMethod.Tune.METHOD_ID ->
          new ConnectionMethod.Tune(in.readUnsignedShort(), in.readInt(), in.readUnsignedShort());
      case ConnectionMethod.TuneOk.METHOD_ID ->
          new ConnectionMethod.TuneOk(in.readUnsignedShort(), in.readInt(), in.readUnsignedShort());
      case ConnectionMethod.Open.METHOD_ID ->
          new ConnectionMethod.Open(
              readShortString(in), readShortString(in), bit(in.readUnsignedByte(), 0));
      case ConnectionMethod.OpenOk.METHOD_ID -> new ConnectionMethod.OpenOk(readShortString(in));
      case ConnectionMethod.Close.METHOD_ID ->
          new ConnectionMethod.Close(
              in.readUnsignedShort(),
              readShortString(in),
              in.readUnsignedShort(),
              in.readUnsignedShort());
      case ConnectionMethod.CloseOk.METHOD_ID -> new ConnectionMethod.CloseOk();
      case ConnectionMethod.Blocked.METHOD_ID -> new ConnectionMethod.Blocked(readShortString(in));
      case ConnectionMethod.Unblocked.METHOD_ID -> new ConnectionMethod.Unblocked();
      case ConnectionMethod.UpdateSecret.METHOD_ID ->
          new ConnectionMethod.UpdateSecret(readLongBytes(in), readShortString(in));
      case ConnectionMethod.UpdateSecretOk.METHOD_ID -> new ConnectionMethod.UpdateSecretOk();
      default -> throw unknown(ConnectionMethod.CLASS_ID, methodId);
    };
  }

  private static ChannelMethod channel(int methodId, ByteBuf in) {
    return switch (methodId) {
      case ChannelMethod.Open.METHOD_ID -> new ChannelMethod.Open(readShortString(in));
      case ChannelMethod.OpenOk.METHOD_ID -> new ChannelMethod.OpenOk(readLongString(in));
      case ChannelMethod.Flow.METHOD_ID -> new ChannelMethod.Flow(bit(in.readUnsignedByte(), 0));
      case ChannelMethod.FlowOk.METHOD_ID ->
          new ChannelMethod.FlowOk(bit(in.readUnsignedByte(), 0));
      case ChannelMethod.Close.METHOD_ID ->
          new ChannelMethod.Close(
              in.readUnsignedShort(),
              readShortString(in),
              in.readUnsignedShort(),
              in.readUnsignedShort());
      case ChannelMethod.CloseOk.METHOD_ID -> new ChannelMethod.CloseOk();
      default -> throw unknown(ChannelMethod.CLASS_ID, methodId);
    };
  }

  private static AccessMethod access(int methodId, ByteBuf in) {
    switch (methodId) {
      case AccessMethod.Request.METHOD_ID:
        String realm = readShortString(in);
        int bits = in.readUnsignedByte();
        return new AccessMethod.Request(
            realm, bit(bits, 0), bit(bits, 1), bit(bits, 2), bit(bits, 3), bit(bits, 4));
      case AccessMethod.RequestOk.METHOD_ID:
        return new AccessMethod.RequestOk(in.readUnsignedShort());
      default:
        throw unknown(AccessMethod.CLASS_ID, methodId);
    }
  }

  private static ExchangeMethod exchange(int methodId, ByteBuf in) {
    switch (methodId) {
      case ExchangeMethod.Declare.METHOD_ID:
        {
          int ticket = in.readUnsignedShort();
          String exchange = readShortString(in);
          String type = readShortString(in);
          int bits = in.readUnsignedByte();
          return new ExchangeMethod.Declare(
              ticket,
              exchange,
              type,
              bit(bits, 0),
              bit(bits, 1),
              bit(bits, 2),
              bit(bits, 3),
              bit(bits, 4),
              table(in));
        }
      case ExchangeMethod.DeclareOk.METHOD_ID:
        return new ExchangeMethod.DeclareOk();
      case ExchangeMethod.Delete.METHOD_ID:
        {
          int ticket = in.readUnsignedShort();
          String exchange = readShortString(in);
          int bits = in.readUnsignedByte();
          return new ExchangeMethod.Delete(ticket, exchange, bit(bits, 0), bit(bits, 1));
        }
      case ExchangeMethod.DeleteOk.METHOD_ID:
        return new ExchangeMethod.DeleteOk();
      case ExchangeMethod.Bind.METHOD_ID:
        return new ExchangeMethod.Bind(
            in.readUnsignedShort(),
            readShortString(in),
            readShortString(in),
            readShortString(in),
            bit(in.readUnsignedByte(), 0),
            table(in));
      case ExchangeMethod.BindOk.METHOD_ID:
        return new ExchangeMethod.BindOk();
      case ExchangeMethod.Unbind.METHOD_ID:
        return new ExchangeMethod.Unbind(
            in.readUnsignedShort(),
            readShortString(in),
            readShortString(in),
            readShortString(in),
            bit(in.readUnsignedByte(), 0),
            table(in));
      case ExchangeMethod.UnbindOk.METHOD_ID:
        return new ExchangeMethod.UnbindOk();
      default:
        throw unknown(ExchangeMethod.CLASS_ID, methodId);
    }
  }

  private static QueueMethod queue(int methodId, ByteBuf in) {
    switch (methodId) {
      case QueueMethod.Declare.METHOD_ID:
        {
          int ticket = in.readUnsignedShort();
          String queue = readShortString(in);
          int bits = in.readUnsignedByte();
          return new QueueMethod.Declare(
              ticket,
              queue,
              bit(bits, 0),
              bit(bits, 1),
              bit(bits, 2),
              bit(bits, 3),
              bit(bits, 4),
              table(in));
        }
      case QueueMethod.DeclareOk.METHOD_ID:
        return new QueueMethod.DeclareOk(readShortString(in), in.readInt(), in.readInt());
      case QueueMethod.Bind.METHOD_ID:
        return new QueueMethod.Bind(
            in.readUnsignedShort(),
            readShortString(in),
            readShortString(in),
            readShortString(in),
            bit(in.readUnsignedByte(), 0),
            table(in));
      case QueueMethod.BindOk.METHOD_ID:
        return new QueueMethod.BindOk();
      case QueueMethod.Purge.METHOD_ID:
        return new QueueMethod.Purge(
            in.readUnsignedShort(), readShortString(in), bit(in.readUnsignedByte(), 0));
      case QueueMethod.PurgeOk.METHOD_ID:
        return new QueueMethod.PurgeOk(in.readInt());
      case QueueMethod.Delete.METHOD_ID:
        {
          int ticket = in.readUnsignedShort();
          String queue = readShortString(in);
          int bits = in.readUnsignedByte();
          return new QueueMethod.Delete(ticket, queue, bit(bits, 0), bit(bits, 1), bit(bits, 2));
        }
      case QueueMethod.DeleteOk.METHOD_ID:
        return new QueueMethod.DeleteOk(in.readInt());
      case QueueMethod.Unbind.METHOD_ID:
        return new QueueMethod.Unbind(
            in.readUnsignedShort(),
            readShortString(in),
            readShortString(in),
            readShortString(in),
            table(in));
      case QueueMethod.UnbindOk.METHOD_ID:
        return new QueueMethod.UnbindOk();
      default:
        throw unknown(QueueMethod.CLASS_ID, methodId);
    }
  }

  private static BasicMethod basic(int methodId, ByteBuf in) {
    switch (methodId) {
      case BasicMethod.Publish.METHOD_ID:
        {
          int ticket = in.readUnsignedShort();
          String exchange = readShortString(in);
          String routingKey = readShortString(in);
          int bits = in.readUnsignedByte();
          return new BasicMethod.Publish(ticket, exchange, routingKey, bit(bits, 0), bit(bits, 1));
        }
      case BasicMethod.Ack.METHOD_ID:
        return new BasicMethod.Ack(in.readLong(), bit(in.readUnsignedByte(), 0));
      case BasicMethod.Deliver.METHOD_ID:
        return new BasicMethod.Deliver(
            readShortString(in),
            in.readLong(),
            bit(in.readUnsignedByte(), 0),
            readShortString(in),
            readShortString(in));
      case BasicMethod.Qos.METHOD_ID:
        return new BasicMethod.Qos(
            in.readInt(), in.readUnsignedShort(), bit(in.readUnsignedByte(), 0));
      case BasicMethod.QosOk.METHOD_ID:
        return new BasicMethod.QosOk();
      case BasicMethod.Consume.METHOD_ID:
        {
          int ticket = in.readUnsignedShort();
          String queue = readShortString(in);
          String consumerTag = readShortString(in);
          int bits = in.readUnsignedByte();
          return new BasicMethod.Consume(
              ticket,
              queue,
              consumerTag,
              bit(bits, 0),
              bit(bits, 1),
              bit(bits, 2),
              bit(bits, 3),
              table(in));
        }
      case BasicMethod.ConsumeOk.METHOD_ID:
        return new BasicMethod.ConsumeOk(readShortString(in));
      case BasicMethod.Cancel.METHOD_ID:
        return new BasicMethod.Cancel(readShortString(in), bit(in.readUnsignedByte(), 0));
      case BasicMethod.CancelOk.METHOD_ID:
        return new BasicMethod.CancelOk(readShortString(in));
      case BasicMethod.Return.METHOD_ID:
        return new BasicMethod.Return(
            in.readUnsignedShort(), readShortString(in), readShortString(in), readShortString(in));
      case BasicMethod.Get.METHOD_ID:
        return new BasicMethod.Get(
            in.readUnsignedShort(), readShortString(in), bit(in.readUnsignedByte(), 0));
      case BasicMethod.GetOk.METHOD_ID:
        return new BasicMethod.GetOk(
            in.readLong(),
            bit(in.readUnsignedByte(), 0),
            readShortString(in),
            readShortString(in),
            in.readInt());
      case BasicMethod.GetEmpty.METHOD_ID:
        return new BasicMethod.GetEmpty(readShortString(in));
      case BasicMethod.Reject.METHOD_ID:
        return new BasicMethod.Reject(in.readLong(), bit(in.readUnsignedByte(), 0));
      case BasicMethod.RecoverAsync.METHOD_ID:
        return new BasicMethod.RecoverAsync(bit(in.readUnsignedByte(), 0));
      case BasicMethod.Recover.METHOD_ID:
        return new BasicMethod.Recover(bit(in.readUnsignedByte(), 0));
      case BasicMethod.RecoverOk.METHOD_ID:
        return new BasicMethod.RecoverOk();
      case BasicMethod.Nack.METHOD_ID:
        {
          long deliveryTag = in.readLong();
          int bits = in.readUnsignedByte();
          return new BasicMethod.Nack(deliveryTag, bit(bits, 0), bit(bits, 1));
        }
      default:
        throw unknown(BasicMethod.CLASS_ID, methodId);
    }
  }

  private static TxMethod tx(int methodId, ByteBuf in) {
    return switch (methodId) {
      case TxMethod.Select.METHOD_ID -> new TxMethod.Select();
      case TxMethod.SelectOk.METHOD_ID -> new TxMethod.SelectOk();
      case TxMethod.Commit.METHOD_ID -> new TxMethod.Commit();
      case TxMethod.CommitOk.METHOD_ID -> new TxMethod.CommitOk();
      case TxMethod.Rollback.METHOD_ID -> new TxMethod.Rollback();
      case TxMethod.RollbackOk.METHOD_ID -> new TxMethod.RollbackOk();
      default -> throw unknown(TxMethod.CLASS_ID, methodId);
    };
  }

  private static ConfirmMethod confirm(int methodId, ByteBuf in) {
    return switch (methodId) {
      case ConfirmMethod.Select.METHOD_ID ->
          new ConfirmMethod.Select(bit(in.readUnsignedByte(), 0));
      case ConfirmMethod.SelectOk.METHOD_ID -> new ConfirmMethod.SelectOk();
      default -> throw unknown(ConfirmMethod.CLASS_ID, methodId);
    };
  }

  private static Map<String, Object> table(ByteBuf in) {
    return FieldTables.read(in);
  }

  /**
   * RabbitMQ drops the connection without a close method on an unknown method id; a peer that is
   * told why is better served, and 540 is what the spec offers for "functionality not implemented".
   */
  private static DecodeException unknown(int classId, int methodId) {
    return new DecodeException(
        ReplyCode.NOT_IMPLEMENTED, "unknown method " + classId + "/" + methodId);
  }
}
