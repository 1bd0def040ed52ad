package dev.warren.it.crash.clusterapp;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * What the MDB received, in the order received, duplicates included (a message delivered twice
 * shows up twice). Kept in memory: the server that consumes is not the one the test kills.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class ReceivedOrders {
  private final List<String> received = new ArrayList<>();

  public synchronized void add(String body) {
    received.add(body);
  }

  public synchronized List<String> all() {
    return List.copyOf(received);
  }
}
