package dev.warren.broker.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Map;

/**
 * Coverage-guided: any bytes either fail to read as a field table with the reader's documented
 * exceptions (never a stack overflow, however deep the nesting) or read as a table that writes and
 * reads back to the same bytes.
 */
class FieldTablesFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void aReadTableWritesBackStably(byte[] bytes) {
    Map<String, Object> table;
    try {
      table = FieldTables.read(Unpooled.wrappedBuffer(bytes));
    } catch (DecodeException | IndexOutOfBoundsException refused) {
      return;
    }
    byte[] written = write(table);
    byte[] again = write(FieldTables.read(Unpooled.wrappedBuffer(written)));
    assertArrayEquals(written, again);
  }

  private static byte[] write(Map<String, Object> table) {
    ByteBuf out = Unpooled.buffer();
    try {
      FieldTables.write(out, table);
      return ByteBufUtil.getBytes(out);
    } finally {
      out.release();
    }
  }
}
