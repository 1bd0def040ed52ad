package dev.warren.rar.adapter.outbound;

import jakarta.resource.spi.ManagedConnectionMetaData;

/** Describes the broker behind a managed connection to the container's tooling. */
record WarrenConnectionMetaData(String user) implements ManagedConnectionMetaData {

  @Override
  public String getEISProductName() {
    return "Warren";
  }

  @Override
  public String getEISProductVersion() {
    return "0.1";
  }

  @Override
  public int getMaxConnections() {
    return 0;
  }

  @Override
  public String getUserName() {
    return user;
  }
}
