package dev.keel.eval.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.eval.EvalItem;
import dev.keel.eval.dataset.DatasetFiles.Format;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetFilesTest {

  @TempDir
  Path dir;

  @Test
  void read_jsonl_itemsWithAllFields() throws Exception {
    Path file = dir.resolve("qa.jsonl");
    Files.writeString(file, """
        {"id": "q1", "input": "Capital of France?", "expected_output": "Paris",\
         "contexts": ["Paris is the capital of France."], "metadata": {"topic": "geo"}}

        {"input": {"question": "2+2"}, "expectedOutput": 4}
        """);

    List<EvalItem> items = DatasetFiles.read(file);

    assertThat(items).hasSize(2);
    assertThat(items.get(0).id()).isEqualTo("q1");
    assertThat(items.get(0).input().asText()).isEqualTo("Capital of France?");
    assertThat(items.get(0).expectedOutput().asText()).isEqualTo("Paris");
    assertThat(items.get(0).contexts()).containsExactly("Paris is the capital of France.");
    assertThat(items.get(0).metadata().get("topic").asText()).isEqualTo("geo");
    assertThat(items.get(1).input().get("question").asText()).isEqualTo("2+2");
    assertThat(items.get(1).expectedOutput().asInt()).isEqualTo(4);
    assertThat(items.get(1).id()).startsWith("h-").hasSize(18);
  }

  @Test
  void read_jsonlBrokenLine_namesLineAndReturnsNothing() throws Exception {
    Path file = dir.resolve("bad.jsonl");
    Files.writeString(file, "{\"input\": \"a\"}\n\n{\"input\": \"b\"\n{\"input\": \"c\"}\n");

    assertThatThrownBy(() -> DatasetFiles.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("line 3: not valid JSON");
  }

  @Test
  void parse_skipBadLines_keepsGoodLinesAndReportsBadOnes() {
    String text = "{\"input\": \"a\"}\n{\"expected_output\": \"x\"}\n[1]\n{\"input\": \"d\"}\n";

    ParsedDataset parsed = DatasetFiles.parse(text, Format.JSONL, true);

    assertThat(parsed.items()).extracting(ParsedItem::line).containsExactly(1, 4);
    assertThat(parsed.skipped()).containsExactly("line 2: input is missing",
        "line 3: expected a JSON object, got ARRAY");
  }

  @Test
  void parse_unknownKeyOrRepeatedId_isAnError() {
    assertThatThrownBy(() -> DatasetFiles.parse("{\"input\": 1, \"answer\": 2}",
        Format.JSONL, false)).hasMessageStartingWith("line 1: unknown key 'answer'");
    assertThatThrownBy(() -> DatasetFiles.parse("{\"id\": \"a\", \"input\": 1}\n"
        + "{\"id\": \"a\", \"input\": 2}", Format.JSONL, false))
        .hasMessage("line 2: id 'a' repeats line 1");
  }

  @Test
  void read_csvWithQuotingAndMultilineFields() throws Exception {
    Path file = dir.resolve("qa.csv");
    Files.writeString(file, "id,input,expected_output,contexts,metadata\r\n"
        + "a,\"Hello, world\",\"He said \"\"hi\"\"\",,\r\n"
        + "b,\"two\nlines\",x,\"[\"\"c1\"\",\"\"c2\"\"]\",\"{\"\"k\"\": 1}\"\r\n"
        + "c,[not json,y,,\r\n");

    List<EvalItem> items = DatasetFiles.read(file);

    assertThat(items).extracting(EvalItem::id).containsExactly("a", "b", "c");
    assertThat(items.get(0).input().asText()).isEqualTo("Hello, world");
    assertThat(items.get(0).expectedOutput().asText()).isEqualTo("He said \"hi\"");
    assertThat(items.get(0).contexts()).isEmpty();
    assertThat(items.get(1).input().asText()).isEqualTo("two\nlines");
    assertThat(items.get(1).contexts()).containsExactly("c1", "c2");
    assertThat(items.get(1).metadata().get("k").asInt()).isEqualTo(1);
    assertThat(items.get(2).input().asText()).isEqualTo("[not json");
  }

  @Test
  void read_csvBrokenRecord_namesItsLine() throws Exception {
    Path file = dir.resolve("bad.csv");
    Files.writeString(file, "input,expected_output\n\"a\nb\",x\nc,d,e\n");

    assertThatThrownBy(() -> DatasetFiles.read(file))
        .hasMessage("line 4: 3 fields where the header has 2");
  }

  @Test
  void parse_csvQuoteErrors_nameTheLine() {
    assertThatThrownBy(() -> DatasetFiles.parse("input\nok\n\"never closed\nmore\n",
        Format.CSV, false)).hasMessage("line 3: a quoted field is never closed");
    assertThatThrownBy(() -> DatasetFiles.parse("input\nok\nsay \"hi\"\n", Format.CSV,
        false)).hasMessageStartingWith("line 3: a quote inside an unquoted field");
  }

  @Test
  void parse_csvSkipBadLines_keepsTheOthers() {
    ParsedDataset parsed = DatasetFiles.parse("input,expected_output\na,1\nb\nc,3\n",
        Format.CSV, true);

    assertThat(parsed.items()).extracting(i -> i.item().input().asText())
        .containsExactly("a", "c");
    assertThat(parsed.skipped()).containsExactly("line 3: 1 fields where the header has 2");
  }

  @Test
  void read_csvWithoutInputColumn_isAnError() throws Exception {
    Path file = dir.resolve("bad.csv");
    Files.writeString(file, "question,answer\nq,a\n");

    assertThatThrownBy(() -> DatasetFiles.read(file)).hasMessageStartingWith("line 1: the CSV"
        + " header must name an 'input' column");
  }

  @Test
  void write_thenRead_roundTripsBothFormats() throws Exception {
    List<EvalItem> items = DatasetFiles.read(write("src.jsonl", """
        {"id": "1", "input": "a, \\"b\\"\\nc", "expected_output": {"x": [1, 2]},\
         "contexts": ["p1"], "metadata": {"m": true}}
        {"id": "2", "input": "plain"}
        """));

    for (String name : List.of("out.jsonl", "out.csv")) {
      Path out = dir.resolve(name);
      DatasetFiles.write(out, items);
      assertThat(DatasetFiles.read(out)).as(name).isEqualTo(items);
    }
  }

  @Test
  void derivedIds_ignoreKeyOrder() {
    ParsedDataset a = DatasetFiles.parse("{\"input\": {\"p\": 1, \"q\": 2}}", Format.JSONL,
        false);
    ParsedDataset b = DatasetFiles.parse("{\"input\": {\"q\": 2, \"p\": 1}}", Format.JSONL,
        false);

    assertThat(a.items().get(0).item().id()).isEqualTo(b.items().get(0).item().id());
    assertThat(a.items().get(0).explicitId()).isFalse();
  }

  private Path write(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }
}
