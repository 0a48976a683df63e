"""A class with a `work()` method that is not a message loop: unchanged."""


class Chores:
    def __init__(self, jobs):
        self.jobs = jobs
        self.done = []

    def work(self):
        for job in self.jobs:
            if job == "sweep":
                self.done.append(job)
