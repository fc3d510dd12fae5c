"""Two workers of one study in a real PostgreSQL server, as two machines would run them.

The test starts its own server (initdb + pg_ctl from Debian's ``postgresql`` package, which
``.ci/run`` installs) in a temporary folder, listening on 127.0.0.1 only. Run as root, it runs
the server as the ``postgres`` user (PostgreSQL refuses to run as root). It is skipped, with the
reason, only when no server can be started here.
"""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile

import pytest
from tune_helpers import cli_env, finished, glassnet_cmd, trials_of, write_space, write_toy


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres_url():
    pytest.importorskip("psycopg2", reason="psycopg2 (the test extra) is not installed")
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not bins:
        pytest.skip("no PostgreSQL server binaries (apt-get install postgresql)")
    bindir = os.path.dirname(bins[-1])
    folder = tempfile.mkdtemp(prefix="glassnet-pg-")
    prefix = []
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(folder)
            pytest.skip("running as root and there is no 'postgres' user to run the server")
        os.chown(folder, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data, port = os.path.join(folder, "data"), _free_port()

    def pg(*args, **kw):
        return subprocess.run(prefix + list(args), capture_output=True, text=True, timeout=60,
                              **kw)

    r = pg(f"{bindir}/initdb", "-D", data, "-U", "glassnet", "--auth=trust", "-E", "UTF8")
    if r.returncode:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"initdb failed: {r.stderr.strip()[-300:]}")
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    r = pg(f"{bindir}/pg_ctl", "-D", data, "-l", os.path.join(folder, "log"), "-o", options,
           "-w", "-t", "60", "start")
    if r.returncode:
        log = open(os.path.join(folder, "log")).read()[-300:] if os.path.exists(
            os.path.join(folder, "log")) else ""
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"PostgreSQL server did not start: {r.stderr.strip()[-200:]} {log}")
    try:
        yield f"postgresql://glassnet@127.0.0.1:{port}/postgres"
    finally:
        pg(f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def test_two_workers_share_one_study_in_postgresql(postgres_url, tmp_path):
    data, space = write_toy(tmp_path, n=300), write_space(tmp_path, epochs=150, patience=0)
    common = [data, "--target", "y", "--space", space, "--trials", 6, "--study", "pg",
              "--storage", postgres_url, "--resume", "--no-prune", "--quiet"]
    # Two independent commands, as on two machines: each joins (or creates) the study.
    procs = [subprocess.Popen(glassnet_cmd(*common, "--out", f"out{i}"), cwd=tmp_path,
                              env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for i in (1, 2)]
    outs = [p.communicate(timeout=240) for p in procs]
    for p, (_, err) in zip(procs, outs):
        assert p.returncode == 0, err
    trials = trials_of(postgres_url.replace("postgresql://", "postgresql+psycopg2://"), "pg")
    done = finished(trials)
    assert len(done) == 6
    assert not [t for t in trials if t.state.name == "RUNNING"]
    assert len({t.user_attrs["worker"] for t in done}) == 2
    assert len({t.number for t in done}) == 6
    assert len({tuple(sorted(t.params.items())) for t in done}) == 6
    # both commands end with the same table of best trials
    tables = [out[out.index("best trials of"):].splitlines()[:6] for out, _ in outs]
    assert tables[0] == tables[1]
