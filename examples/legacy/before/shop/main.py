"""The old runner: call every worker's `work()` once per tick."""

import time

from shop.legacy import OldExecutor, OldLog
from shop.workers import OrderBookWorker, StockWorker


class Mailer:
    def send(self, order_id, event):
        print(f"mail: order {order_id} {event}")


def main(ticks=3):
    log = OldLog()
    executor = OldExecutor(log)
    workers = [OrderBookWorker(log, executor, Mailer()), StockWorker(log, executor)]
    for _ in range(ticks):
        for worker in workers:
            worker.work()
        time.sleep(1)


if __name__ == "__main__":
    main()
