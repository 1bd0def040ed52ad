package dev.warren.broker.cluster;

import dev.warren.broker.definitions.DefinitionChange;
import dev.warren.broker.definitions.DefinitionCodec;
import dev.warren.broker.definitions.DefinitionsState;
import dev.warren.broker.engine.api.ExchangeDeclaration;
import dev.warren.broker.engine.api.QueueDeclaration;
import dev.warren.broker.model.QueueOwner;
import dev.warren.broker.model.TopologyChange;
import dev.warren.broker.model.TopologyChange.BindExchange;
import dev.warren.broker.model.TopologyChange.BindQueue;
import dev.warren.broker.model.TopologyChange.DeclareExchange;
import dev.warren.broker.model.TopologyChange.DeclareQueue;
import dev.warren.broker.model.TopologyChange.DeleteExchange;
import dev.warren.broker.model.TopologyChange.DeleteQueue;
import dev.warren.broker.protocol.FieldTables;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metadata commands as bytes: each one an AMQP field table, so that declaration arguments come back
 * exactly as a client's decoder would have produced them (equivalence checks compare them). The
 * format is shared by every node of a cluster: a key is only ever added, never renamed.
 */
public final class MetadataCodec {
  /**
   * The op of a definitions entry; each change is in it as its JSON (the definitions journal's).
   */
  private static final String DEFINITIONS = "definitions";

  private MetadataCodec() {}

  public static byte[] encode(MetadataCommand command) {
    Map<String, Object> table = new LinkedHashMap<>();
    table.put("origin", command.origin());
    table.put("request", command.request());
    table.put("vhost", command.virtualHost());
    TopologyChange<?> change = command.change();
    if (change instanceof DeclareExchange c) {
      ExchangeDeclaration d = c.declaration();
      table.put("op", "declare-exchange");
      table.put("name", d.name());
      table.put("type", d.type());
      table.put("durable", d.durable());
      table.put("auto-delete", d.autoDelete());
      table.put("internal", d.internal());
      table.put("arguments", d.arguments());
    } else if (change instanceof DeleteExchange c) {
      table.put("op", "delete-exchange");
      table.put("name", c.name());
      table.put("if-unused", c.ifUnused());
    } else if (change instanceof DeclareQueue c) {
      QueueDeclaration d = c.declaration();
      table.put("op", "declare-queue");
      table.put("name", d.name());
      table.put("durable", d.durable());
      table.put("exclusive", d.exclusive());
      table.put("auto-delete", d.autoDelete());
      table.put("arguments", d.arguments());
      putOwner(table, c.owner());
      table.put("home", c.home());
      if (c.serverName() != null) {
        table.put("server-name", c.serverName());
      }
    } else if (change instanceof DeleteQueue c) {
      table.put("op", "delete-queue");
      table.put("name", c.name());
      putOwner(table, c.owner());
      table.put("if-unused", c.ifUnused());
      table.put("if-empty", c.ifEmpty());
    } else if (change instanceof BindQueue c) {
      table.put("op", "bind-queue");
      table.put("queue", c.queue());
      table.put("exchange", c.exchange());
      table.put("key", c.routingKey());
      table.put("arguments", c.arguments() == null ? Map.of() : c.arguments());
      putOwner(table, c.owner());
      table.put("bind", c.bind());
    } else if (change instanceof BindExchange c) {
      table.put("op", "bind-exchange");
      table.put("destination", c.destination());
      table.put("source", c.source());
      table.put("key", c.routingKey());
      table.put("arguments", c.arguments() == null ? Map.of() : c.arguments());
      table.put("bind", c.bind());
    }
    return bytes(table);
  }

  public static byte[] encode(DefinitionsCommand command) {
    Map<String, Object> table = new LinkedHashMap<>();
    table.put("origin", command.origin());
    table.put("request", command.request());
    table.put("op", DEFINITIONS);
    table.put("seed", command.seed());
    table.put("changes", json(command.changes()));
    return bytes(table);
  }

  /** A topology entry. */
  public static MetadataCommand decode(byte[] bytes) {
    return command(FieldTables.read(Unpooled.wrappedBuffer(bytes)));
  }

  /** An entry of either kind. */
  public static MetadataEntry decodeEntry(byte[] bytes) {
    Map<String, Object> t = FieldTables.read(Unpooled.wrappedBuffer(bytes));
    if (DEFINITIONS.equals(t.get("op"))) {
      return new DefinitionsCommand(
          text(t, "origin"), (Long) t.get("request"), flag(t, "seed"), changes(t, "changes"));
    }
    return command(t);
  }

  private static MetadataCommand command(Map<String, Object> t) {
    return new MetadataCommand(
        text(t, "origin"), (Long) t.get("request"), text(t, "vhost"), change(t));
  }

  private static TopologyChange<?> change(Map<String, Object> t) {
    String op = text(t, "op");
    return switch (op) {
      case "declare-exchange" ->
          new DeclareExchange(
              new ExchangeDeclaration(
                  text(t, "name"),
                  text(t, "type"),
                  flag(t, "durable"),
                  flag(t, "auto-delete"),
                  flag(t, "internal"),
                  table(t, "arguments")));
      case "delete-exchange" -> new DeleteExchange(text(t, "name"), flag(t, "if-unused"));
      case "declare-queue" ->
          new DeclareQueue(
              new QueueDeclaration(
                  text(t, "name"),
                  flag(t, "durable"),
                  flag(t, "exclusive"),
                  flag(t, "auto-delete"),
                  table(t, "arguments")),
              owner(t),
              text(t, "home"),
              text(t, "server-name"));
      case "delete-queue" ->
          new DeleteQueue(text(t, "name"), owner(t), flag(t, "if-unused"), flag(t, "if-empty"));
      case "bind-queue" ->
          new BindQueue(
              text(t, "queue"),
              text(t, "exchange"),
              text(t, "key"),
              table(t, "arguments"),
              owner(t),
              flag(t, "bind"));
      case "bind-exchange" ->
          new BindExchange(
              text(t, "destination"),
              text(t, "source"),
              text(t, "key"),
              table(t, "arguments"),
              flag(t, "bind"));
      default -> throw new IllegalArgumentException("unknown metadata command " + op);
    };
  }

  /** The topology alone: the commands that declare it again, in replay order. */
  public static byte[] encodeAll(List<MetadataCommand> commands) {
    return bytes(Map.of("commands", encoded(commands)));
  }

  /**
   * A snapshot of the metadata log: the topology's commands (read by {@link #decodeAll} too) and
   * the definitions as the changes that rebuild them.
   */
  public static byte[] encodeSnapshot(MetadataSnapshot snapshot) {
    Map<String, Object> table = new LinkedHashMap<>();
    table.put("commands", encoded(snapshot.declarations()));
    table.put("definitions-seeded", snapshot.seeded());
    table.put("definitions", json(snapshot.definitions().asChanges()));
    return bytes(table);
  }

  /** A snapshot; one written before definitions were replicated has none (and no seed). */
  public static MetadataSnapshot decodeSnapshot(byte[] bytes) {
    Map<String, Object> t = FieldTables.read(Unpooled.wrappedBuffer(bytes));
    DefinitionsState definitions = DefinitionsState.EMPTY;
    for (DefinitionChange change : changes(t, "definitions")) {
      definitions = definitions.apply(change);
    }
    return new MetadataSnapshot(commands(t), flag(t, "definitions-seeded"), definitions);
  }

  private static List<Object> encoded(List<MetadataCommand> commands) {
    List<Object> encoded = new ArrayList<>(commands.size());
    for (MetadataCommand command : commands) {
      encoded.add(encode(command));
    }
    return encoded;
  }

  private static byte[] bytes(Map<String, Object> table) {
    ByteBuf out = Unpooled.buffer();
    try {
      FieldTables.write(out, table);
      byte[] bytes = new byte[out.readableBytes()];
      out.readBytes(bytes);
      return bytes;
    } finally {
      out.release();
    }
  }

  private static List<Object> json(List<DefinitionChange> changes) {
    List<Object> json = new ArrayList<>(changes.size());
    changes.forEach(change -> json.add(DefinitionCodec.encode(change)));
    return json;
  }

  private static List<DefinitionChange> changes(Map<String, Object> t, String key) {
    List<DefinitionChange> changes = new ArrayList<>();
    if (t.get(key) instanceof List<?> json) {
      json.forEach(change -> changes.add(DefinitionCodec.decode((String) change)));
    }
    return changes;
  }

  public static List<MetadataCommand> decodeAll(byte[] bytes) {
    return commands(FieldTables.read(Unpooled.wrappedBuffer(bytes)));
  }

  private static List<MetadataCommand> commands(Map<String, Object> t) {
    List<MetadataCommand> commands = new ArrayList<>();
    for (Object entry : (List<?>) t.get("commands")) {
      commands.add(decode((byte[]) entry));
    }
    return commands;
  }

  private static void putOwner(Map<String, Object> table, QueueOwner owner) {
    if (owner != null) {
      table.put("owner-node", owner.node());
      table.put("owner-connection", owner.connection());
    }
  }

  private static QueueOwner owner(Map<String, Object> t) {
    return t.containsKey("owner-node")
        ? new QueueOwner(text(t, "owner-node"), (Long) t.get("owner-connection"))
        : null;
  }

  private static String text(Map<String, Object> t, String key) {
    return (String) t.get(key);
  }

  private static boolean flag(Map<String, Object> t, String key) {
    return Boolean.TRUE.equals(t.get(key));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> table(Map<String, Object> t, String key) {
    Object value = t.get(key);
    return value == null ? Map.of() : (Map<String, Object>) value;
  }
}
