package dev.warren.broker.protocol;

import static dev.warren.broker.protocol.AmqpPrimitives.bits;
import static dev.warren.broker.protocol.AmqpPrimitives.writeLongBytes;
import static dev.warren.broker.protocol.AmqpPrimitives.writeLongString;
import static dev.warren.broker.protocol.AmqpPrimitives.writeReplyText;
import static dev.warren.broker.protocol.AmqpPrimitives.writeShortString;

import io.netty.buffer.ByteBuf;

/**
 * Writes the payload of a method frame: class id, method id, then the arguments in spec order, the
 * mirror image of {@link MethodDecoder}. Dispatch is by the ids, not by type tests, so the cost of
 * a basic.deliver does not depend on its place in a list.
 */
final class MethodEncoder {
  private MethodEncoder() {}

  static void encode(ByteBuf out, AmqpMethod method) {
    out.writeShort(method.classId()).writeShort(method.methodId());
    switch (method.classId()) {
      case ConnectionMethod.CLASS_ID -> connection(out, (ConnectionMethod) method);
      case ChannelMethod.CLASS_ID -> channel(out, (ChannelMethod) method);
      case AccessMethod.CLASS_ID -> access(out, (AccessMethod) method);
      case ExchangeMethod.CLASS_ID -> exchange(out, (ExchangeMethod) method);
      case QueueMethod.CLASS_ID -> queue(out, (QueueMethod) method);
      case BasicMethod.CLASS_ID -> basic(out, (BasicMethod) method);
      case ConfirmMethod.CLASS_ID -> confirm(out, (ConfirmMethod) method);
      case TxMethod.CLASS_ID -> {} // no tx method has arguments
      default -> throw new IllegalStateException("unhandled class " + method.classId());
    }
  }

  private static void connection(ByteBuf out, ConnectionMethod method) {
    switch (method.methodId()) {
      case ConnectionMethod.Start.METHOD_ID -> {
        var m = (ConnectionMethod.Start) method;
        out.writeByte(m.versionMajor()).writeByte(m.versionMinor());
        FieldTables.write(out, m.serverProperties());
        writeLongString(out, m.mechanisms());
        writeLongString(out, m.locales());
      }
      case ConnectionMethod.StartOk.METHOD_ID -> {
        var m = (ConnectionMethod.StartOk) method;
        FieldTables.write(out, m.clientProperties());
        writeShortString(out, m.mechanism());
        writeLongBytes(out, m.response());
        writeShortString(out, m.locale());
      }
      case ConnectionMethod.Secure.METHOD_ID ->
          writeLongBytes(out, ((ConnectionMethod.Secure) method).challenge());
      case ConnectionMethod.SecureOk.METHOD_ID ->
          writeLongBytes(out, ((ConnectionMethod.SecureOk) method).response());
      case ConnectionMethod.Tune.METHOD_ID -> {
        var m = (ConnectionMethod.Tune) method;
        out.writeShort(m.channelMax()).writeInt(m.frameMax()).writeShort(m.heartbeat());
      }
      case ConnectionMethod.TuneOk.METHOD_ID -> {
        var m = (ConnectionMethod.TuneOk) method;
        out.writeShort(m.channelMax()).writeInt(m.frameMax()).writeShort(m.heartbeat());
      }
      case ConnectionMethod.Open.METHOD_ID -> {
        var m = (ConnectionMethod.Open) method;
        writeShortString(out, m.virtualHost());
        writeShortString(out, m.capabilities());
        out.writeByte(bits(m.insist()));
      }
      case ConnectionMethod.OpenOk.METHOD_ID ->
          writeShortString(out, ((ConnectionMethod.OpenOk) method).knownHosts());
      case ConnectionMethod.Close.METHOD_ID -> {
        var m = (ConnectionMethod.Close) method;
        out.writeShort(m.replyCode());
        writeReplyText(out, m.replyText());
        out.writeShort(m.failingClassId()).writeShort(m.failingMethodId());
      }
      case ConnectionMethod.Blocked.METHOD_ID ->
          writeShortString(out, ((ConnectionMethod.Blocked) method).reason());
      case ConnectionMethod.UpdateSecret.METHOD_ID -> {
        var m = (ConnectionMethod.UpdateSecret) method;
        writeLongBytes(out, m.newSecret());
        writeShortString(out, m.reason());
      }
      default -> {} // close-ok, unblocked, update-secret-ok: no arguments
    }
  }

  private static void channel(ByteBuf out, ChannelMethod method) {
    switch (method.methodId()) {
      case ChannelMethod.Open.METHOD_ID ->
          writeShortString(out, ((ChannelMethod.Open) method).outOfBand());
      case ChannelMethod.OpenOk.METHOD_ID ->
          writeLongString(out, ((ChannelMethod.OpenOk) method).channelId());
      case ChannelMethod.Flow.METHOD_ID ->
          out.writeByte(bits(((ChannelMethod.Flow) method).active()));
      case ChannelMethod.FlowOk.METHOD_ID ->
          out.writeByte(bits(((ChannelMethod.FlowOk) method).active()));
      case ChannelMethod.Close.METHOD_ID -> {
        var m = (ChannelMethod.Close) method;
        out.writeShort(m.replyCode());
        writeReplyText(out, m.replyText());
        out.writeShort(m.failingClassId()).writeShort(m.failingMethodId());
      }
      default -> {} // close-ok: no arguments
    }
  }

  private static void access(ByteBuf out, AccessMethod method) {
    if (method instanceof AccessMethod.Request m) {
      writeShortString(out, m.realm());
      out.writeByte(bits(m.exclusive(), m.passive(), m.active(), m.write(), m.read()));
    } else {
      out.writeShort(((AccessMethod.RequestOk) method).ticket());
    }
  }

  private static void exchange(ByteBuf out, ExchangeMethod method) {
    switch (method.methodId()) {
      case ExchangeMethod.Declare.METHOD_ID -> {
        var m = (ExchangeMethod.Declare) method;
        out.writeShort(m.ticket());
        writeShortString(out, m.exchange());
        writeShortString(out, m.type());
        out.writeByte(bits(m.passive(), m.durable(), m.autoDelete(), m.internal(), m.nowait()));
        FieldTables.write(out, m.arguments());
      }
      case ExchangeMethod.Delete.METHOD_ID -> {
        var m = (ExchangeMethod.Delete) method;
        out.writeShort(m.ticket());
        writeShortString(out, m.exchange());
        out.writeByte(bits(m.ifUnused(), m.nowait()));
      }
      case ExchangeMethod.Bind.METHOD_ID -> {
        var m = (ExchangeMethod.Bind) method;
        out.writeShort(m.ticket());
        writeShortString(out, m.destination());
        writeShortString(out, m.source());
        writeShortString(out, m.routingKey());
        out.writeByte(bits(m.nowait()));
        FieldTables.write(out, m.arguments());
      }
      case ExchangeMethod.Unbind.METHOD_ID -> {
        var m = (ExchangeMethod.Unbind) method;
        out.writeShort(m.ticket());
        writeShortString(out, m.destination());
        writeShortString(out, m.source());
        writeShortString(out, m.routingKey());
        out.writeByte(bits(m.nowait()));
        FieldTables.write(out, m.arguments());
      }
      default -> {} // the -ok replies: no arguments
    }
  }

  private static void queue(ByteBuf out, QueueMethod method) {
    switch (method.methodId()) {
      case QueueMethod.Declare.METHOD_ID -> {
        var m = (QueueMethod.Declare) method;
        out.writeShort(m.ticket());
        writeShortString(out, m.queue());
        out.writeByte(bits(m.passive(), m.durable(), m.exclusive(), m.autoDelete(), m.nowait()));
        FieldTables.write(out, m.arguments());
      }
      case QueueMethod.DeclareOk.METHOD_ID -> {
        var m = (QueueMethod.DeclareOk) method;
        writeShortString(out, m.queue());
        out.writeInt(m.messageCount()).writeInt(m.consumerCount());
      }
      case QueueMethod.Bind.METHOD_ID -> {
        var m = (QueueMethod.Bind) method;
        out.writeShort(m.ticket());
        writeShortString(out, m.queue());
        writeShortString(out, m.exchange());
        writeShortString(out, m.routingKey());
        out.writeByte(bits(m.nowait()));
        FieldTables.write(out, m.arguments());
      }
      case QueueMethod.Purge.METHOD_ID -> {
        var m = (QueueMethod.Purge) method;
        out.writeShort(m.ticket());
        writeShortString(out, m.queue());
        out.writeByte(bits(m.nowait()));
      }
      case QueueMethod.PurgeOk.METHOD_ID ->
          out.writeInt(((QueueMethod.PurgeOk) method).messageCount());
      case QueueMethod.Delete.METHOD_ID -> {
        var m = (QueueMethod.Delete) method;
        out.writeShort(m.ticket());
        writeShortString(out, m.queue());
        out.writeByte(bits(m.ifUnused(), m.ifEmpty(), m.nowait()));
      }
      case QueueMethod.DeleteOk.METHOD_ID ->
          out.writeInt(((QueueMethod.DeleteOk) method).messageCount());
      case QueueMethod.Unbind.METHOD_ID -> {
        var m = (QueueMethod.Unbind) method;
        out.writeShort(m.ticket());
        writeShortString(out, m.queue());
        writeShortString(out, m.exchange());
        writeShortString(out, m.routingKey());
        FieldTables.write(out, m.arguments());
      }
      default -> {} // bind-ok, unbind-ok: no arguments
    }
  }

  private static void basic(ByteBuf out, BasicMethod method) {
    switch (method.methodId()) {
      case BasicMethod.Qos.METHOD_ID -> {
        var m = (BasicMethod.Qos) method;
        out.writeInt(m.prefetchSize()).writeShort(m.prefetchCount()).writeByte(bits(m.global()));
      }
      case BasicMethod.Consume.METHOD_ID -> {
        var m = (BasicMethod.Consume) method;
        out.writeShort(m.ticket());
        writeShortString(out, m.queue());
        writeShortString(out, m.consumerTag());
        out.writeByte(bits(m.noLocal(), m.noAck(), m.exclusive(), m.nowait()));
        FieldTables.write(out, m.arguments());
      }
      case BasicMethod.ConsumeOk.METHOD_ID ->
          writeShortString(out, ((BasicMethod.ConsumeOk) method).consumerTag());
      case BasicMethod.Cancel.METHOD_ID -> {
        var m = (BasicMethod.Cancel) method;
        writeShortString(out, m.consumerTag());
        out.writeByte(bits(m.nowait()));
      }
      case BasicMethod.CancelOk.METHOD_ID ->
          writeShortString(out, ((BasicMethod.CancelOk) method).consumerTag());
      case BasicMethod.Publish.METHOD_ID -> {
        var m = (BasicMethod.Publish) method;
        out.writeShort(m.ticket());
        writeShortString(out, m.exchange());
        writeShortString(out, m.routingKey());
        out.writeByte(bits(m.mandatory(), m.immediate()));
      }
      case BasicMethod.Return.METHOD_ID -> {
        var m = (BasicMethod.Return) method;
        out.writeShort(m.replyCode());
        writeReplyText(out, m.replyText());
        writeShortString(out, m.exchange());
        writeShortString(out, m.routingKey());
      }
      case BasicMethod.Deliver.METHOD_ID -> {
        var m = (BasicMethod.Deliver) method;
        writeShortString(out, m.consumerTag());
        out.writeLong(m.deliveryTag()).writeByte(bits(m.redelivered()));
        writeShortString(out, m.exchange());
        writeShortString(out, m.routingKey());
      }
      case BasicMethod.Get.METHOD_ID -> {
        var m = (BasicMethod.Get) method;
        out.writeShort(m.ticket());
        writeShortString(out, m.queue());
        out.writeByte(bits(m.noAck()));
      }
      case BasicMethod.GetOk.METHOD_ID -> {
        var m = (BasicMethod.GetOk) method;
        out.writeLong(m.deliveryTag()).writeByte(bits(m.redelivered()));
        writeShortString(out, m.exchange());
        writeShortString(out, m.routingKey());
        out.writeInt(m.messageCount());
      }
      case BasicMethod.GetEmpty.METHOD_ID ->
          writeShortString(out, ((BasicMethod.GetEmpty) method).clusterId());
      case BasicMethod.Ack.METHOD_ID -> {
        var m = (BasicMethod.Ack) method;
        out.writeLong(m.deliveryTag()).writeByte(bits(m.multiple()));
      }
      case BasicMethod.Reject.METHOD_ID -> {
        var m = (BasicMethod.Reject) method;
        out.writeLong(m.deliveryTag()).writeByte(bits(m.requeue()));
      }
      case BasicMethod.RecoverAsync.METHOD_ID ->
          out.writeByte(bits(((BasicMethod.RecoverAsync) method).requeue()));
      case BasicMethod.Recover.METHOD_ID ->
          out.writeByte(bits(((BasicMethod.Recover) method).requeue()));
      case BasicMethod.Nack.METHOD_ID -> {
        var m = (BasicMethod.Nack) method;
        out.writeLong(m.deliveryTag()).writeByte(bits(m.multiple(), m.requeue()));
      }
      default -> {} // qos-ok, recover-ok: no arguments
    }
  }

  private static void confirm(ByteBuf out, ConfirmMethod method) {
    if (method instanceof ConfirmMethod.Select m) {
      out.writeByte(bits(m.nowait()));
    }
  }
}
