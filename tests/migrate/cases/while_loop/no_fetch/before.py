"""A `while True` loop that is not a message fetch: unchanged."""


class Spinner:
    def __init__(self, queue):
        self.queue = queue
        self.done = []

    def work(self):
        while True:
            item = self.queue.pop()
            if item == "stop":
                break
            self.done.append(item)
