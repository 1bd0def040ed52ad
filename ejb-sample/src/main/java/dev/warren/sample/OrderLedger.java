package dev.warren.sample;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The orders table in the server's default datasource. Its writes join the caller's transaction,
 * which for {@link OrderRecorder} is the transaction that also acknowledges the message.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class OrderLedger {
  @Resource(lookup = "java:comp/DefaultDataSource")
  DataSource dataSource;

  @PostConstruct
  void createTable() {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      // no unique key on purpose: a duplicate delivery would show up as a second row
      statement.execute(
          "CREATE TABLE IF NOT EXISTS sample_orders (order_id VARCHAR(200) NOT NULL)");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the sample_orders table", e);
    }
  }

  public void insert(String orderId) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert =
            connection.prepareStatement("INSERT INTO sample_orders (order_id) VALUES (?)")) {
      insert.setString(1, orderId);
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot record order " + orderId, e);
    }
  }

  /**
   * Rows and distinct orders whose id starts with the prefix: equal when nothing was duplicated.
   */
  public int[] countWithPrefix(String prefix) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT COUNT(*), COUNT(DISTINCT order_id) FROM sample_orders"
                    + " WHERE order_id LIKE ?")) {
      query.setString(1, prefix + "%");
      try (ResultSet result = query.executeQuery()) {
        result.next();
        return new int[] {result.getInt(1), result.getInt(2)};
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot count orders " + prefix, e);
    }
  }

  public int count(String orderId) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement query =
            connection.prepareStatement("SELECT COUNT(*) FROM sample_orders WHERE order_id = ?")) {
      query.setString(1, orderId);
      try (ResultSet result = query.executeQuery()) {
        result.next();
        return result.getInt(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot count order " + orderId, e);
    }
  }
}
