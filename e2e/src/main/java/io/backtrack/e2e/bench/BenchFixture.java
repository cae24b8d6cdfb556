package io.backtrack.e2e.bench;

import io.backtrack.e2e.postgres.PostgresServer;
import io.backtrack.e2e.s3.S3Server;

/**
 * For tuning by hand: starts PostgreSQL with the benchmark database and S3Proxy, prints how to reach them, and
 * keeps them until killed. {@code bench/run.sh --hold [--size-gb N]}.
 */
public final class BenchFixture {
    private BenchFixture() {
    }

    public static void main(String[] args) throws Exception {
        double sizeGb = args.length > 0 ? Double.parseDouble(args[0]) : 0.2;
        PostgresServer pg = PostgresServer.start();
        S3Server s3 = S3Server.startForThroughput();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            s3.close();
            pg.stop();
        }));
        s3.createBucket(DataPathBench.BUCKET);
        long bytes = BenchDatabase.create(pg, DataPathBench.DB, (long) (sizeGb * (1L << 30)));
        System.out.printf("export PGHOST=%s PGPORT=%d PGUSER=%s PGPASSWORD=%s PGDATABASE=%s  # %d MiB%n",
                pg.host(), pg.port(), pg.superuser(), pg.password(), DataPathBench.DB, bytes >> 20);
        System.out.printf("export S3_ENDPOINT=%s AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s BUCKET=%s%n",
                s3.endpoint(), s3.accessKey(), s3.secretKey(), DataPathBench.BUCKET);
        System.out.flush();
        Thread.currentThread().join();
    }
}
