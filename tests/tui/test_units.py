"""Unit tests of the UI's pure helpers: history, terminal text, completion, diagram, keymap, markdown."""

from __future__ import annotations

from tutor.keymap import DEFAULT_KEYS, load_keymap
from tutor.screens.editor import language_for
from tutor.widgets.cluster_view import diagram
from tutor.widgets.history import History
from tutor.widgets.instructions import fence_command, step_markdown
from tutor.widgets.termtext import LineAssembler, columns, complete, current_word


def test_history_skips_blanks_and_repeats_and_restores_the_draft():
    h = History(["a", "a", " ", "b"])
    assert h.entries == ["a", "b"]
    assert h.previous("draft") == "b"
    assert h.previous("ignored") == "a"
    assert h.previous("ignored") is None
    assert h.next() == "b"
    assert h.next() == "draft"
    assert h.next() is None
    h.add("c")
    assert h.previous("") == "c"


def test_line_assembler_joins_chunks_and_splits_lines_per_stream():
    a = LineAssembler()
    assert a.feed("stdout", "NAME  READY\nweb-") == [("line", "NAME  READY")]
    assert a.feed("stderr", "warn\n") == [("line", "warn")]
    assert a.feed("stdout", "1   1/1\r\n") == [("line", "web-1   1/1")]
    assert a.feed("stdout", "tail") == []
    assert a.flush("stdout") == "tail"
    assert a.flush("stdout") is None


def test_line_assembler_clear_marker_and_other_escapes():
    a = LineAssembler()
    assert a.feed("stdout", "old\npartial\x1b[H\x1b[2J\x1b[3Jnew\n") == [
        ("line", "old"), ("clear", None), ("line", "new")]
    assert a.feed("stdout", "\x1b[1mbold\x1b[0m\n") == [("line", "bold")]


def test_complete_follows_bash():
    assert current_word("kubectl get po", 14) == (12, "po")
    one = complete("kubectl get po", 14, ["pods", "poddisruptionbudgets"])
    assert (one.value, one.cursor, one.listing) == ("kubectl get pod", 15, [])
    single = complete("kubectl ge", 10, ["get"])
    assert (single.value, single.cursor) == ("kubectl get ", 12)
    listing = complete("kubectl get pod", 15, ["pods", "poddisruptionbudgets"])
    assert listing.listing == ["poddisruptionbudgets", "pods"] and listing.value == "kubectl get pod"
    directory = complete("cat ma", 6, ["manifests/"])
    assert (directory.value, directory.cursor) == ("cat manifests/", 14)
    middle = complete("kubectl ge pods", 10, ["get"])
    assert (middle.value, middle.cursor) == ("kubectl get  pods", 12)
    assert complete("x", 1, []).value == "x"


def test_columns_fill_down_then_across():
    assert columns(["a", "bb", "c", "d", "e"], 12) == ["a   c   e", "bb  d"]
    assert columns(["a", "bb", "c", "d", "e"], 10) == ["a   d", "bb  e", "c"]
    assert columns([], 80) == []


def test_diagram_groups_pods_under_the_services_that_select_them():
    svc = {"metadata": {"name": "web"},
           "spec": {"type": "ClusterIP", "clusterIP": "10.96.1.2", "selector": {"app": "web"},
                    "ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": "http"}]}}
    headless = {"metadata": {"name": "db"}, "spec": {"clusterIP": "None", "ports": [{"port": 5432}]}}
    pods = [
        {"metadata": {"name": "web-1", "labels": {"app": "web", "tier": "fe"}}, "spec": {"nodeName": "node01"},
         "status": {"podIP": "10.244.1.3", "conditions": [{"type": "Ready", "status": "True"}]}},
        {"metadata": {"name": "stray", "labels": {"app": "nginx"}}, "spec": {},
         "status": {"conditions": []}},
    ]
    slices = [{"metadata": {"labels": {"kubernetes.io/service-name": "web"}}, "ports": [{"port": 8080}],
               "endpoints": [{"addresses": ["10.244.1.3"], "conditions": {"ready": True}},
                             {"addresses": ["10.244.2.3"], "conditions": {"ready": False, "terminating": True}}]}]
    text = diagram([svc, headless], pods, slices, "default", lambda s: {"10.244.1.3": 4})
    assert text == (
        "Namespace default: 2 services, 2 pods\n"
        "\n"
        "Service web  type ClusterIP  cluster IP 10.96.1.2  ports http 80/TCP->http\n"
        "  endpoints (2):\n"
        "    10.244.1.3:8080  ready\n"
        "    10.244.2.3:8080  terminating\n"
        "  selector app=web selects 1 pods:\n"
        "    web-1  10.244.1.3  on node01  ready  connections 4  labels app=web,tier=fe\n"
        "\n"
        "Service db  type ClusterIP  cluster IP None  ports 5432/TCP\n"
        "  endpoints: none\n"
        "  selector: none (endpoints are managed by hand)\n"
        "\n"
        "Pods selected by no Service (1):\n"
        "    stray  no IP  on unscheduled  not ready  labels app=nginx\n"
    )


def test_keymap_file_overrides_known_ids_only(tmp_path):
    assert load_keymap(tmp_path) == {}
    (tmp_path / "keymap.toml").write_text('"lesson.hint" = "f9"\n"nope" = "x"\n"lesson.reset" = 3\n')
    assert load_keymap(tmp_path) == {"lesson.hint": "f9"}
    (tmp_path / "keymap.toml").write_text("not toml [")
    assert load_keymap(tmp_path) == {}
    assert all(binding_id.count(".") == 1 for binding_id in DEFAULT_KEYS)


def test_fence_commands_and_step_markdown():
    assert fence_command("$ kubectl get svc\n") == "kubectl get svc"
    assert fence_command("cat <<EOF\na: 1\nEOF\n") == "cat <<EOF\na: 1\nEOF"
    md = step_markdown("Look", 0, 3, "Body text.\n", ["First hint."], ["kubectl get svc"])
    assert md == (
        "**Step 1 of 3: Look**\n\nBody text.\n\n**Hint 1.** First hint.\n\n"
        "**Solution** (click a block to put it on the prompt):\n\n```bash\nkubectl get svc\n```\n"
    )


def test_editor_language_by_name_or_content():
    assert language_for("svc.yaml", "") == "yaml"
    assert language_for("/tmp/kubectl-edit-123", "apiVersion: v1\n") == "yaml"
    assert language_for("notes.txt", "hello") is None
