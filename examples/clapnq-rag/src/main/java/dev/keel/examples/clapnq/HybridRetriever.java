package dev.keel.examples.clapnq;

import dev.keel.eval.score.MiniLm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * Finds passages for a question, in process: Lucene BM25 over an in-memory index, cosine
 * similarity of all-MiniLM-L6-v2 embeddings, or both fused by reciprocal rank (the top 20 of
 * each, k = 60). Building it embeds every passage once (about 3 ms each on one core); searching
 * is thread-safe.
 */
public final class HybridRetriever {

  /** Reciprocal rank fusion's constant, as commonly used for hybrid search. */
  static final int RRF_K = 60;
  private static final int FUSED_DEPTH = 20;

  private final List<String> passages;
  private final StandardAnalyzer analyzer = new StandardAnalyzer();
  private final IndexSearcher searcher;
  private final List<float[]> vectors;

  /** How to rank passages. */
  public enum Mode {
    /** Lucene BM25 on the question's terms. */
    BM25,
    /** MiniLM embeddings, by cosine similarity. */
    DENSE,
    /** BM25 and MiniLM fused by reciprocal rank. */
    HYBRID
  }

  /** Indexes {@code passages}; a passage's index in the list is its document id. */
  public HybridRetriever(List<String> passages) {
    this.passages = List.copyOf(passages);
    this.searcher = index(this.passages);
    this.vectors = this.passages.stream().map(MiniLm::embed).toList();
  }

  /** The passage with document id {@code doc}. */
  public String passage(int doc) {
    return passages.get(doc);
  }

  /** The {@code k} best passages' texts for {@code question}, best first. */
  public List<String> retrieve(String question, Mode mode, int k) {
    return ids(question, mode, k).stream().map(passages::get).toList();
  }

  /** The {@code k} best document ids for {@code question}, best first. */
  public List<Integer> ids(String question, Mode mode, int k) {
    return switch (mode) {
      case BM25 -> bm25(question, k, Integer.MAX_VALUE);
      case DENSE -> dense(question, k);
      case HYBRID -> hybrid(question, k);
    };
  }

  /**
   * BM25 on the question's first {@code words} analysed terms (all of them with
   * {@code Integer.MAX_VALUE}); fewer terms make a deliberately weaker retriever.
   */
  public List<Integer> bm25(String question, int k, int words) {
    BooleanQuery.Builder q = new BooleanQuery.Builder();
    try (TokenStream ts = analyzer.tokenStream("text", question)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      for (int n = 0; n < words && ts.incrementToken(); n++) {
        q.add(new TermQuery(new Term("text", term.toString())), BooleanClause.Occur.SHOULD);
      }
      ts.end();
      List<Integer> out = new ArrayList<>();
      for (ScoreDoc d : searcher.search(q.build(), k).scoreDocs) {
        out.add(d.doc);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** MiniLM: the passages whose embeddings are closest to the question's. */
  public List<Integer> dense(String question, int k) {
    float[] q = MiniLm.embed(question);
    return IntStream.range(0, vectors.size()).boxed()
        .sorted((a, b) -> Double.compare(MiniLm.dot(q, vectors.get(b)),
            MiniLm.dot(q, vectors.get(a)))).limit(k).toList();
  }

  /** Reciprocal rank fusion of the BM25 and MiniLM rankings. */
  public List<Integer> hybrid(String question, int k) {
    Map<Integer, Double> fused = new HashMap<>();
    List<Integer> lexical = bm25(question, FUSED_DEPTH, Integer.MAX_VALUE);
    List<Integer> dense = dense(question, FUSED_DEPTH);
    for (int r = 0; r < lexical.size(); r++) {
      fused.merge(lexical.get(r), 1.0 / (RRF_K + r + 1), Double::sum);
    }
    for (int r = 0; r < dense.size(); r++) {
      fused.merge(dense.get(r), 1.0 / (RRF_K + r + 1), Double::sum);
    }
    return fused.entrySet().stream()
        .sorted(Map.Entry.<Integer, Double>comparingByValue().reversed()).limit(k)
        .map(Map.Entry::getKey).toList();
  }

  private IndexSearcher index(List<String> texts) {
    ByteBuffersDirectory dir = new ByteBuffersDirectory();
    try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(analyzer))) {
      for (String text : texts) {
        Document d = new Document();
        d.add(new TextField("text", text, Field.Store.YES));
        w.addDocument(d);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return new IndexSearcher(DirectoryReader.open(dir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
