"""Background workers, written before petrock_gen: each loops over the log itself."""

import logging

from petrock_runtime import Command

from shop.commands import RequestRestock

logger = logging.getLogger(__name__)

LOW_STOCK = 2


class OrderBookWorker:
    """Keeps every open order and tells the mailer about shipped ones."""

    def __init__(self, log, executor, mailer):
        self.log = log
        self.executor = executor
        self.mailer = mailer
        self.last_processed_id = 0
        self.open_orders = {}  # order_id -> (sku, quantity)

    def work(self):
        for msg in self.log.after(self.last_processed_id):
            cmd = msg.decoded_payload
            if not isinstance(cmd, Command):
                continue
            name = cmd.command_name()
            if name == "orders/place":
                self.open_orders[cmd.order_id] = (cmd.sku, cmd.quantity)
            elif name in ("orders/cancel", "orders/ship"):
                closed = self.open_orders.pop(cmd.order_id, None)
                if closed is None:
                    # Already closed: a duplicate from the old retry loop.
                    continue
                if name == "orders/ship":
                    self.mailer.send(cmd.order_id, "shipped")
            self.last_processed_id = msg.id


class StockWorker:
    """Counts stock per SKU and asks for a restock when it runs low."""

    def __init__(self, log, executor):
        self.log = log
        self.executor = executor
        self.last_processed_id = 0
        self.stock = {}
        self.requested = set()

    def work(self):
        for msg in self.log.after(self.last_processed_id):
            cmd = msg.decoded_payload
            if not isinstance(cmd, Command):
                continue
            match cmd.command_name():
                case "stock/restock":
                    self.stock[cmd.sku] = self.stock.get(cmd.sku, 0) + cmd.quantity
                    self.requested.discard(cmd.sku)
                case "orders/place":
                    self.stock[cmd.sku] = self.stock.get(cmd.sku, 0) - cmd.quantity
                case _:
                    logger.debug("stock: ignoring %s", cmd.command_name())
            self.last_processed_id = msg.id
        self.request_restocks()

    def request_restocks(self):
        for sku, level in sorted(self.stock.items()):
            if level < LOW_STOCK and sku not in self.requested:
                self.requested.add(sku)
                self.executor.execute(RequestRestock(sku=sku))
