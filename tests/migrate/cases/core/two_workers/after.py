"""Two workers in one module: one migrates, one is refused and stays byte for byte.
Generated names collide neither with each other nor with the module."""

from legacy_core import Command
from petrock_runtime import CommandWorker, Message, WorkerContext


def handle_demo_added(value):
    return value


class FirstWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.last_processed_id = 0
        self.keys = []


def handle_demo_added_2(ctx: WorkerContext[FirstWorker], cmd: Command, msg: Message) -> None:
    ctx.state.keys.append(handle_demo_added(cmd.key))


def build_worker(state: FirstWorker) -> CommandWorker[FirstWorker]:
    worker = CommandWorker("FirstWorker", "", state=state)
    worker.on_command("demo/added", handle_demo_added_2)
    return worker


class   SecondWorker:   # odd spacing on purpose: a refused class is never reformatted
    def __init__(self, log, executor, service):
        self.log = log
        self.last_processed_id = 0

    def work(self):
        for msg in self.log.after(self.last_processed_id):
            cmd = msg.decoded_payload
            if cmd.command_name() == "demo/added":
                yield cmd.key
            self.last_processed_id = msg.id
