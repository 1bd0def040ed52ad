package dev.warren.rar.adapter.tx;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import javax.transaction.xa.Xid;

/**
 * A transaction branch id compared by value (the container's own Xid classes may not be), which
 * also names the branch's file.
 */
public record StoredXid(int formatId, byte[] globalTransactionId, byte[] branchQualifier)
    implements Xid {
  private static final HexFormat HEX = HexFormat.of();

  public static StoredXid of(Xid xid) {
    return xid instanceof StoredXid stored
        ? stored
        : new StoredXid(xid.getFormatId(), xid.getGlobalTransactionId(), xid.getBranchQualifier());
  }

  String fileName() {
    return formatId
        + "_"
        + HEX.formatHex(globalTransactionId)
        + "_"
        + HEX.formatHex(branchQualifier);
  }

  static Optional<StoredXid> fromFileName(String name) {
    String[] parts = name.split("_", -1);
    if (parts.length != 3) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new StoredXid(
              Integer.parseInt(parts[0]), HEX.parseHex(parts[1]), HEX.parseHex(parts[2])));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  @Override
  public int getFormatId() {
    return formatId;
  }

  @Override
  public byte[] getGlobalTransactionId() {
    return globalTransactionId.clone();
  }

  @Override
  public byte[] getBranchQualifier() {
    return branchQualifier.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StoredXid that
        && formatId == that.formatId
        && Arrays.equals(globalTransactionId, that.globalTransactionId)
        && Arrays.equals(branchQualifier, that.branchQualifier);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * formatId + Arrays.hashCode(globalTransactionId))
        + Arrays.hashCode(branchQualifier);
  }

  @Override
  public String toString() {
    return fileName();
  }
}
