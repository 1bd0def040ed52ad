package dev.warren.broker.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DirectAndFanoutRouterTest {

  @Test
  void directRoutesOnlyExactKeys() {
    DirectRouter<String> router = new DirectRouter<>();
    router.bind(new Binding<>("k", null, "q1"));
    router.bind(new Binding<>("k", null, "q2"));
    router.bind(new Binding<>("other", null, "q3"));
    List<String> hits = new ArrayList<>();
    router.route("k", null, hits::add);
    assertEquals(List.of("q1", "q2"), hits);
    hits.clear();
    router.route("K", null, hits::add);
    assertTrue(hits.isEmpty());
  }

  @Test
  void directUnbindOfUnknownBindingReportsFalse() {
    DirectRouter<String> router = new DirectRouter<>();
    assertFalse(router.unbind(new Binding<>("k", null, "q")));
    router.bind(new Binding<>("k", null, "q"));
    assertTrue(router.unbind(new Binding<>("k", null, "q")));
    assertTrue(router.isEmpty());
  }

  @Test
  void fanoutIgnoresTheRoutingKey() {
    FanoutRouter<String> router = new FanoutRouter<>();
    router.bind(new Binding<>("a", null, "q1"));
    router.bind(new Binding<>("b", null, "q2"));
    assertFalse(router.bind(new Binding<>("b", null, "q2")));
    List<String> hits = new ArrayList<>();
    router.route("zzz", null, hits::add);
    assertEquals(List.of("q1", "q2"), hits);
  }
}
