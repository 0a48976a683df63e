"""A one-line message loop body cannot hold a dispatch (`if`/`match` need their own lines)."""


class OneLineWorker:
    def __init__(self, log, executor, service):
        self.log = log
        self.executor = executor
        self.service = service
        self.last_processed_id = 0

    def work(self):
        for msg in self.log.after(self.last_processed_id): self.service.handle(msg); self.last_processed_id = msg.id
