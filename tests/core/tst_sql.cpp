// The DuckDB wrapper of core/sql: typed columns with exact values and NULLs, the read-only rule
// for what a user types (COPY, CREATE, ATTACH, SET refused before anything runs, and no file
// written), the lock-down to the storage's folder, errors that carry DuckDB's position, and
// interrupting a running query from another thread.
#include "core/sql/database.h"

#include <QTemporaryDir>
#include <QTest>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

using namespace sigscope::core::sql;
namespace fs = std::filesystem;

class TestSql : public QObject {
    Q_OBJECT

private slots:
    void typedColumnsWithExactValues()
    {
        Database db;
        const Table t = db.query("SELECT 1::TINYINT AS a, -7::BIGINT AS b, 2.5::DOUBLE AS c, 'x''y' AS d, "
                                 "TIMESTAMP '2024-01-02 09:30:00.25' AS e, true AS f, 1.5::DECIMAL(4,1) AS g, "
                                 "NULL::INTEGER AS h");
        QCOMPARE(t.rows, std::size_t(1));
        QCOMPARE(t.columns.size(), std::size_t(8));
        QCOMPARE(t.columns[0].type, ColumnType::Integer);
        QCOMPARE(t.columns[0].typeName, std::string("TINYINT"));
        QCOMPARE(t.columns[0].integers.at(0), std::int64_t(1));
        QCOMPARE(t.columns[1].integers.at(0), std::int64_t(-7));
        QCOMPARE(t.columns[2].type, ColumnType::Real);
        QCOMPARE(t.columns[2].reals.at(0), 2.5);
        QCOMPARE(t.text(3, 0), std::string("x'y"));
        QCOMPARE(t.columns[4].type, ColumnType::Timestamp);
        QCOMPARE(t.columns[4].integers.at(0), std::int64_t(1704187800250000));
        QCOMPARE(t.text(4, 0), std::string("2024-01-02 09:30:00.25"));
        QCOMPARE(t.columns[5].type, ColumnType::Boolean);
        QCOMPARE(t.text(5, 0), std::string("true"));
        QCOMPARE(t.columns[6].type, ColumnType::Real);
        QCOMPARE(t.columns[6].typeName, std::string("DECIMAL"));
        QCOMPARE(t.text(6, 0), std::string("1.5"));
        QVERIFY(t.isNull(7, 0));
        QVERIFY(!t.isNull(0, 0));
        QCOMPARE(t.text(7, 0), std::string());
        QCOMPARE(t.columnIndex("e"), std::optional<std::size_t>(4));
        QCOMPARE(t.columnIndex("E"), std::optional<std::size_t>());
    }

    void manyChunksKeepEveryRowInOrder()
    {
        Database db;
        const Table t = db.query("SELECT i, CASE WHEN i % 3 = 0 THEN NULL ELSE i / 2 END AS half, 'r' || i AS name "
                                 "FROM range(10000) r(i) ORDER BY i");
        QCOMPARE(t.rows, std::size_t(10000));
        std::int64_t sum = 0;
        for (std::int64_t v : t.columns[0].integers)
            sum += v;
        QCOMPARE(sum, std::int64_t(49995000));
        QVERIFY(t.isNull(1, 9999));
        QCOMPARE(t.columns[1].reals.at(9998), 4999.0);
        QCOMPARE(t.text(2, 4097), std::string("r4097"));
    }

    void wideIntegersDatesAndNestedTypes()
    {
        Database db;
        const Table t = db.query("SELECT sum(i) AS total, DATE '2024-03-01' AS d, [1, 2] AS l, NULL::HUGEINT AS n "
                                 "FROM range(5) r(i);");
        QCOMPARE(t.columns[0].typeName, std::string("HUGEINT"));
        QCOMPARE(t.columns[0].type, ColumnType::Integer);
        QCOMPARE(t.columns[0].integers.at(0), std::int64_t(10));
        QCOMPARE(t.columns[1].type, ColumnType::Timestamp);
        QCOMPARE(t.text(1, 0), std::string("2024-03-01 00:00:00"));
        QCOMPARE(t.columns[2].type, ColumnType::Text);
        QCOMPARE(t.text(2, 0), std::string("[1, 2]"));
        QVERIFY(t.isNull(3, 0));
        try {
            db.query("SELECT 170141183460469231731687303715884105727::HUGEINT AS big");
            QFAIL("a 128-bit value was cut to 64 bits");
        } catch (const SqlError& e) {
            QVERIFY2(std::string(e.what()).find("does not fit in 64 bits") != std::string::npos, e.what());
        }
    }

    void lastStatementIsTheResult()
    {
        Database db;
        const Table t = db.query("SELECT 1 AS one; SELECT 2 AS two;");
        QCOMPARE(t.columns.at(0).name, std::string("two"));
        QCOMPARE(t.text(0, 0), std::string("2"));
    }

    void writingStatementsAreRefusedBeforeAnythingRuns()
    {
        QTemporaryDir dir;
        const fs::path target = fs::path(dir.path().toStdString()) / "out.csv";
        Database db;
        const std::string copy = "COPY (SELECT 1) TO " + literal(target.string());
        for (const std::string& statement :
             {copy, std::string("CREATE TABLE t AS SELECT 1"), std::string("ATTACH ':memory:' AS other"),
              std::string("SET threads = 1"), std::string("SELECT 1; ") + copy}) {
            try {
                db.query(statement);
                QFAIL(qPrintable(QString::fromStdString("not refused: " + statement)));
            } catch (const SqlError& e) {
                QCOMPARE(e.kind(), SqlError::Kind::Refused);
                QVERIFY2(std::string(e.what()).find("is not a SELECT") != std::string::npos, e.what());
            }
        }
        QVERIFY(!fs::exists(target));
        // Our own setup may create views.
        db.execute("CREATE VIEW v AS SELECT 42 AS answer");
        QCOMPARE(db.query("SELECT answer FROM v").text(0, 0), std::string("42"));
    }

    void errorsCarryDuckDBsPosition()
    {
        Database db;
        try {
            db.query("SELECT 1 FORM x");
            QFAIL("a syntax error was accepted");
        } catch (const SqlError& e) {
            QCOMPARE(e.kind(), SqlError::Kind::Syntax);
            const std::string message = e.what();
            QVERIFY2(message.find("syntax error at or near \"x\"") != std::string::npos, e.what());
            QVERIFY2(message.find("LINE 1: SELECT 1 FORM x") != std::string::npos, e.what());
        }
        try {
            db.query("SELECT nope FROM range(3)");
            QFAIL("an unknown column was accepted");
        } catch (const SqlError& e) {
            QCOMPARE(e.kind(), SqlError::Kind::Other);
            QVERIFY2(std::string(e.what()).find("Referenced column \"nope\" not found") != std::string::npos, e.what());
        }
    }

    void lockDownLimitsReadsToTheStorage()
    {
        QTemporaryDir inside;
        QTemporaryDir outside;
        const fs::path a = fs::path(inside.path().toStdString()) / "a.csv";
        const fs::path b = fs::path(outside.path().toStdString()) / "b.csv";
        std::ofstream(a) << "x\n1\n2\n";
        std::ofstream(b) << "x\n3\n";
        Database db;
        db.execute("CREATE VIEW a AS SELECT * FROM read_csv(" + literal(a.string()) + ")");
        db.lockDown({inside.path().toStdString()});
        QCOMPARE(db.query("SELECT sum(x) FROM a").text(0, 0), std::string("3"));
        try {
            db.query("SELECT * FROM read_csv(" + literal(b.string()) + ")");
            QFAIL("a file outside the storage was read");
        } catch (const SqlError& e) {
            QVERIFY2(std::string(e.what()).find("file system operations are disabled") != std::string::npos, e.what());
        }
        QVERIFY_THROWS_EXCEPTION(SqlError, db.execute("SET enable_external_access = true"));
    }

    void interruptStopsARunningQuery()
    {
        Database db(Database::Options{1, 0});
        std::thread stopper([&db] {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            db.interrupt();
        });
        try {
            db.query("SELECT count(*) FROM range(100000000000) a(i), range(10) b(j) WHERE (i * j) % 7 = 3");
            stopper.join();
            QFAIL("the query was not interrupted");
        } catch (const SqlError& e) {
            stopper.join();
            QCOMPARE(e.kind(), SqlError::Kind::Interrupted);
        }
        QCOMPARE(db.query("SELECT 5").text(0, 0), std::string("5"));
    }
};

QTEST_GUILESS_MAIN(TestSql)
#include "tst_sql.moc"
