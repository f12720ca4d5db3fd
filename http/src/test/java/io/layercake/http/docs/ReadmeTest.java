package io.layercake.http.docs;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The README renders as written (GitHub-flavoured Markdown, read with commonmark-java): no table row
 * falls out of its table into a paragraph, and every link of the contents finds its heading.
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
  void everyTableRowIsInATable() {
    Set<Integer> inTables = new TreeSet<>();
    Set<Integer> inCode = new TreeSet<>();
    document.accept(new AbstractVisitor() {
      @Override
      public void visit(CustomBlock block) {
        if (block instanceof TableBlock) {
          block.getSourceSpans().forEach(span -> inTables.add(span.getLineIndex()));
        }
        super.visit(block);
      }

      @Override
      public void visit(FencedCodeBlock code) {
        for (SourceSpan span : code.getSourceSpans()) {
          inCode.add(span.getLineIndex());
        }
      }
    });
    List<String> strays = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("|") && !inTables.contains(i) && !inCode.contains(i)) {
        strays.add((i + 1) + ": " + lines.get(i));
      }
    }
    assertThat(inTables).as("the README has tables").hasSizeGreaterThan(20);
    assertThat(strays).as("table rows rendered outside a table").isEmpty();
  }

  @Test
  void theContentsLinkToHeadingsThatExist() {
    Set<String> anchors = new TreeSet<>();
    document.accept(new AbstractVisitor() {
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

  /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to dashes. */
  private static String slug(String heading) {
    return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
  }
}
