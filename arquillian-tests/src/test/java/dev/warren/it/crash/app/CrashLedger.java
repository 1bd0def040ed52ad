package dev.warren.it.crash.app;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The rows of the crash test in the server's own database, through an XA datasource: one table for
 * the outbound transactions (row + publish), one for the inbound ones (row + ack). No unique key,
 * so that a duplicate shows up as a second row.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class CrashLedger {
  static final List<String> TABLES = List.of("crash_outbound", "crash_inbound");

  @Resource(name = "jdbc/crash")
  DataSource dataSource;

  @PostConstruct
  @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
  void createTables() {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      for (String table : TABLES) {
        statement.execute("CREATE TABLE IF NOT EXISTS " + table + " (id VARCHAR(100) NOT NULL)");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the crash tables", e);
    }
  }

  /** Joins the caller's transaction. */
  public void insert(String table, String id) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert =
            connection.prepareStatement("INSERT INTO " + checked(table) + " (id) VALUES (?)")) {
      insert.setString(1, id);
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot insert " + id, e);
    }
  }

  /** Every committed row, in no particular order. */
  @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
  public List<String> rows(String table) {
    return query("SELECT id FROM " + checked(table));
  }

  /** The database's prepared, undecided transactions (H2's INFORMATION_SCHEMA.IN_DOUBT). */
  @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
  public List<String> inDoubt() {
    return query("SELECT TRANSACTION_NAME FROM INFORMATION_SCHEMA.IN_DOUBT");
  }

  private List<String> query(String sql) {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      while (result.next()) {
        values.add(result.getString(1));
      }
      return values;
    } catch (SQLException e) {
      throw new IllegalStateException("query failed: " + sql, e);
    }
  }

  private static String checked(String table) {
    if (!TABLES.contains(table)) {
      throw new IllegalArgumentException("no table " + table);
    }
    return table;
  }
}
