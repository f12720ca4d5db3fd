package io.layercake.persistence.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.DatabaseSettings;
import io.layercake.persistence.testing.FreshDatabases;
import io.layercake.persistence.testing.Sql;
import io.layercake.persistence.testing.TestDatabases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every index is written with its table, so an index whose columns lead another index of the same
 * table costs writes and serves no lookup the other does not (a unique one still enforces its
 * uniqueness, unless the other has exactly its columns and is unique too).
 */
@ExtendWith(FreshDatabases.Extension.class)
class SchemaIndexesTest {
  private static final String H2_INDEXES = "SELECT CONCAT(i.TABLE_NAME, '|', i.INDEX_NAME, '|',"
      + " CASE WHEN i.INDEX_TYPE_NAME = 'INDEX' THEN 'plain' ELSE 'unique' END, '|',"
      + " (SELECT LISTAGG(c.COLUMN_NAME, ',') WITHIN GROUP (ORDER BY c.ORDINAL_POSITION) FROM INFORMATION_SCHEMA.INDEX_COLUMNS c"
      + " WHERE c.INDEX_SCHEMA = i.INDEX_SCHEMA AND c.INDEX_NAME = i.INDEX_NAME AND c.TABLE_NAME = i.TABLE_NAME))"
      + " FROM INFORMATION_SCHEMA.INDEXES i WHERE i.TABLE_SCHEMA = 'PUBLIC'";
  private static final String POSTGRES_INDEXES = "SELECT t.relname || '|' || i.relname || '|'"
      + " || CASE WHEN x.indisunique THEN 'unique' ELSE 'plain' END || '|'"
      + " || array_to_string(ARRAY(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY k(attnum, ord)"
      + " JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord), ',')"
      + " FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid"
      + " JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public'";

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void noIndexRepeatsTheLeadingColumnsOfAnother(TestDatabases kind, FreshDatabases databases, @TempDir Path dir) {
    DatabaseSettings database = databases.create(kind, dir);
    SchemaMigrations.migrate(database);

    List<Index> indexes = Sql.strings(database, kind == TestDatabases.H2 ? H2_INDEXES : POSTGRES_INDEXES).stream()
        .map(Index::parse).toList();
    assertThat(indexes).as("indexes read").hasSizeGreaterThan(50);
    List<String> repeated = new ArrayList<>();
    for (Index index : indexes) {
      for (Index other : indexes) {
        if (index != other && index.repeats(other)) {
          repeated.add(index + " repeats " + other);
        }
      }
    }
    assertThat(repeated).isEmpty();
  }

  private record Index(String table, String name, boolean unique, List<String> columns) {
    static Index parse(String row) {
      String[] parts = row.split("\\|", -1);
      return new Index(parts[0].toLowerCase(), parts[1], parts[2].equals("unique"), List.of(parts[3].toLowerCase().split(",")));
    }

    boolean repeats(Index other) {
      if (!table.equals(other.table) || columns.size() > other.columns.size()
          || !other.columns.subList(0, columns.size()).equals(columns)) {
        return false;
      }
      return !unique || other.unique && other.columns.size() == columns.size();
    }

    @Override
    public String toString() {
      return table + "." + name + (unique ? " unique " : " ") + columns;
    }
  }
}
