"""`async def work` with `async for`: handlers and periodic work become `async def`."""

from legacy_core import Command


class AsyncWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.position = 0
        self.seen = []

    async def work(self):
        async for msg in self.log.after(self.position):
            cmd = msg.decoded_payload
            if not isinstance(cmd, Command):
                continue
            if cmd.command_name() == "demo/added":
                self.seen.append(cmd.key)
                await self.service.added(cmd.key)
            self.position = msg.id
        await self.service.tick(len(self.seen))
