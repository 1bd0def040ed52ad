package dev.warren.broker.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Topic exchange with RabbitMQ's semantics: keys are words separated by '.', empty words included
 * ("" has no words, "a." has two); in a binding key {@code *} matches exactly one word and {@code
 * #} zero or more. Binding keys are compiled once into a trie of words, so matching walks only the
 * branches a routing key can reach instead of testing every binding.
 */
public final class TopicRouter<D> implements Router<D> {
  private static final String ONE_WORD = "*";
  private static final String ANY_WORDS = "#";

  private final Node<D> root = new Node<>();
  private final List<Binding<D>> all = new ArrayList<>();

  @Override
  public synchronized boolean bind(Binding<D> binding) {
    Node<D> node = root;
    for (String word : words(binding.routingKey())) {
      node = node.children.computeIfAbsent(word, w -> new Node<>());
    }
    if (node.bindings.contains(binding)) {
      return false;
    }
    node.bindings = CopyOnWrite.with(node.bindings, binding);
    all.add(binding);
    return true;
  }

  @Override
  public synchronized boolean unbind(Binding<D> binding) {
    String[] words = words(binding.routingKey());
    List<Node<D>> path = new ArrayList<>(words.length + 1);
    Node<D> node = root;
    path.add(node);
    for (String word : words) {
      node = node.children.get(word);
      if (node == null) {
        return false;
      }
      path.add(node);
    }
    if (!node.bindings.contains(binding)) {
      return false;
    }
    node.bindings = CopyOnWrite.without(node.bindings, binding);
    all.remove(binding);
    pruneEmptyNodes(words, path);
    return true;
  }

  /** Removes the now-empty tail of the path so that dead branches do not slow matching. */
  private static <D> void pruneEmptyNodes(String[] words, List<Node<D>> path) {
    for (int depth = words.length; depth > 0; depth--) {
      Node<D> node = path.get(depth);
      if (!node.bindings.isEmpty() || !node.children.isEmpty()) {
        return;
      }
      path.get(depth - 1).children.remove(words[depth - 1]);
    }
  }

  @Override
  public void route(String routingKey, Map<String, Object> headers, Consumer<? super D> sink) {
    match(root, words(routingKey), 0, sink);
  }

  private static <D> void match(Node<D> node, String[] words, int next, Consumer<? super D> sink) {
    Node<D> anyWords = node.children.get(ANY_WORDS);
    if (anyWords != null) {
      // '#' swallows zero or more words: try every possible remainder.
      for (int resumeAt = next; resumeAt <= words.length; resumeAt++) {
        match(anyWords, words, resumeAt, sink);
      }
    }
    if (next == words.length) {
      List<Binding<D>> bindings = node.bindings;
      for (int i = 0; i < bindings.size(); i++) {
        sink.accept(bindings.get(i).destination());
      }
      return;
    }
    Node<D> exact = node.children.get(words[next]);
    if (exact != null) {
      match(exact, words, next + 1, sink);
    }
    Node<D> oneWord = node.children.get(ONE_WORD);
    if (oneWord != null && oneWord != exact) {
      match(oneWord, words, next + 1, sink);
    }
  }

  /** Splits on '.', keeping empty words; the empty key has no words at all (as in RabbitMQ). */
  static String[] words(String key) {
    if (key.isEmpty()) {
      return new String[0];
    }
    int count = 1;
    for (int i = 0; i < key.length(); i++) {
      if (key.charAt(i) == '.') {
        count++;
      }
    }
    String[] words = new String[count];
    int start = 0;
    int index = 0;
    for (int i = 0; i < key.length(); i++) {
      if (key.charAt(i) == '.') {
        words[index++] = key.substring(start, i);
        start = i + 1;
      }
    }
    words[index] = key.substring(start);
    return words;
  }

  @Override
  public synchronized List<Binding<D>> bindings() {
    return List.copyOf(all);
  }

  @Override
  public synchronized boolean isEmpty() {
    return all.isEmpty();
  }

  private static final class Node<D> {
    final Map<String, Node<D>> children = new ConcurrentHashMap<>();
    volatile List<Binding<D>> bindings = List.of();
  }
}
