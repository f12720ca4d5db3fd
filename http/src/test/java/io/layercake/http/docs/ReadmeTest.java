package io.layercake.http.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.runtime.access.Scopes;
import io.layercake.runtime.people.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.CustomBlock;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.Node;
import org.commonmark.node.SourceSpan;
import org.commonmark.node.Text;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README and the pages under docs/ render as written (GitHub-flavoured Markdown, read with
 * commonmark-java): no table row falls out of its table into a paragraph, every link of the
 * contents finds its heading, every link into docs/ finds its page and heading, and the role table
 * says what {@link Role} grants.
 */
class ReadmeTest {
  private static final Path README = Path.of("..", "README.md");
  private static List<String> lines;
  private static Node document;

  @BeforeAll
  static void read() throws IOException {
    lines = Files.readAllLines(README);
    document = Parser.builder().extensions(List.of(TablesExtension.create())).includeSourceSpans(IncludeSourceSpans.BLOCKS)
        .build().parse(String.join("\n", lines));
  }

  @Test
  void everyTableRowIsInATable() throws IOException {
    for (Path page : List.of(README, Path.of("..", "docs", "benchmark.md"), Path.of("..", "docs", "testing.md"))) {
      List<String> pageLines = Files.readAllLines(page);
      assertThat(strays(pageLines, parse(pageLines))).as(page + ": table rows rendered outside a table").isEmpty();
    }
    assertThat(tableLines(document)).as("the README has tables").hasSizeGreaterThan(20);
  }

  @Test
  void theRoleTableIsTheOneTheCodeEnforces() {
    String text = String.join("\n", lines);
    String table = text.substring(text.indexOf("<!-- roles:start -->"), text.indexOf("<!-- roles:end -->"));
    List<String> rows = table.lines().filter(line -> line.startsWith("| `")).toList();
    List<String> header = List.of(table.lines().filter(line -> line.startsWith("| scope")).findFirst().orElseThrow().split("\\|"));
    Set<String> scopes = new TreeSet<>();
    for (String row : rows) {
      String[] cells = row.split("\\|");
      String scope = cells[1].strip().replace("`", "");
      scopes.add(scope);
      for (Role role : Role.values()) {
        int column = header.stream().map(String::strip).toList().indexOf(role.wireName());
        assertThat(column).as("a column for " + role.wireName()).isPositive();
        assertThat(cells[column].strip()).as(role.wireName() + " / " + scope)
            .isEqualTo(role.scopes().contains(scope) ? "yes" : "no");
      }
    }
    assertThat(scopes).as("a row for every scope").isEqualTo(new TreeSet<>(Scopes.ALL));
  }

  @Test
  void linksIntoDocsFindTheirPageAndHeading() throws IOException {
    Matcher links = Pattern.compile("\\]\\((docs/[a-z-]+\\.md)(?:#([^)]+))?\\)").matcher(String.join("\n", lines));
    int checked = 0;
    while (links.find()) {
      Path page = Path.of("..").resolve(links.group(1));
      assertThat(page).as(links.group()).exists();
      if (links.group(2) != null) {
        assertThat(anchors(parse(Files.readAllLines(page)))).as(links.group()).contains(links.group(2));
      }
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(3);
  }

  private static Node parse(List<String> text) {
    return Parser.builder().extensions(List.of(TablesExtension.create())).includeSourceSpans(IncludeSourceSpans.BLOCKS)
        .build().parse(String.join("\n", text));
  }

  private static Set<Integer> tableLines(Node root) {
    Set<Integer> inTables = new TreeSet<>();
    root.accept(new AbstractVisitor() {
      @Override
      public void visit(CustomBlock block) {
        if (block instanceof TableBlock) {
          block.getSourceSpans().forEach(span -> inTables.add(span.getLineIndex()));
        }
        super.visit(block);
      }
    });
    return inTables;
  }

  private static List<String> strays(List<String> text, Node root) {
    Set<Integer> inTables = tableLines(root);
    Set<Integer> inCode = new TreeSet<>();
    root.accept(new AbstractVisitor() {
      @Override
      public void visit(FencedCodeBlock code) {
        for (SourceSpan span : code.getSourceSpans()) {
          inCode.add(span.getLineIndex());
        }
      }
    });
    List<String> strays = new ArrayList<>();
    for (int i = 0; i < text.size(); i++) {
      if (text.get(i).startsWith("|") && !inTables.contains(i) && !inCode.contains(i)) {
        strays.add((i + 1) + ": " + text.get(i));
      }
    }
    return strays;
  }

  @Test
  void theContentsLinkToHeadingsThatExist() {
    Set<String> anchors = anchors(document);
    String readme = String.join("\n", lines);
    int contents = readme.indexOf("## Contents");
    assertThat(contents).as("the README has contents").isNotNegative();
    String section = readme.substring(contents, readme.indexOf("\n## ", contents + 1));
    Matcher links = Pattern.compile("\\]\\(#([^)]+)\\)").matcher(section);
    List<String> linked = new ArrayList<>();
    while (links.find()) {
      linked.add(links.group(1));
    }
    assertThat(linked).hasSizeGreaterThan(10);
    assertThat(anchors).containsAll(linked);
  }

  private static Set<String> anchors(Node root) {
    Set<String> anchors = new TreeSet<>();
    root.accept(new AbstractVisitor() {
      @Override
      public void visit(Heading heading) {
        StringBuilder text = new StringBuilder();
        heading.accept(new AbstractVisitor() {
          @Override
          public void visit(Text literal) {
            text.append(literal.getLiteral());
          }

          @Override
          public void visit(org.commonmark.node.Code code) {
            text.append(code.getLiteral());
          }
        });
        anchors.add(slug(text.toString()));
      }
    });
    return anchors;
  }

  /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to dashes. */
  private static String slug(String heading) {
    return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
  }
}
