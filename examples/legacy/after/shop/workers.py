"""Background workers, written before petrock_gen: each loops over the log itself."""

import logging

from petrock_runtime import Command, CommandWorker, Message, WorkerContext

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


def handle_orders_place(ctx: WorkerContext[OrderBookWorker], cmd: Command, msg: Message) -> None:
    ctx.state.open_orders[cmd.order_id] = (cmd.sku, cmd.quantity)


def handle_orders_cancel(ctx: WorkerContext[OrderBookWorker], cmd: Command, msg: Message) -> None:
    name = cmd.command_name()
    closed = ctx.state.open_orders.pop(cmd.order_id, None)
    if closed is None:
        # Already closed: a duplicate from the old retry loop.
        return
    if name == "orders/ship":
        ctx.state.mailer.send(cmd.order_id, "shipped")


def build_order_book_worker(state: OrderBookWorker) -> CommandWorker[OrderBookWorker]:
    worker = CommandWorker(
        "OrderBookWorker",
        "Keeps every open order and tells the mailer about shipped ones.",
        state=state,
    )
    worker.on_command("orders/place", handle_orders_place)
    worker.on_command("orders/cancel", handle_orders_cancel)
    worker.on_command("orders/ship", handle_orders_cancel)
    return worker


class StockWorker:
    """Counts stock per SKU and asks for a restock when it runs low."""

    def __init__(self, log, executor):
        self.log = log
        self.executor = executor
        self.last_processed_id = 0
        self.stock = {}
        self.requested = set()

    def request_restocks(self):
        for sku, level in sorted(self.stock.items()):
            if level < LOW_STOCK and sku not in self.requested:
                self.requested.add(sku)
                self.executor.execute(RequestRestock(sku=sku))


def handle_stock_restock(ctx: WorkerContext[StockWorker], cmd: Command, msg: Message) -> None:
    ctx.state.stock[cmd.sku] = ctx.state.stock.get(cmd.sku, 0) + cmd.quantity
    ctx.state.requested.discard(cmd.sku)


def handle_orders_place_2(ctx: WorkerContext[StockWorker], cmd: Command, msg: Message) -> None:
    ctx.state.stock[cmd.sku] = ctx.state.stock.get(cmd.sku, 0) - cmd.quantity


def request_restocks(ctx: WorkerContext[StockWorker]) -> None:
    ctx.state.request_restocks()


def build_stock_worker(state: StockWorker) -> CommandWorker[StockWorker]:
    worker = CommandWorker(
        "StockWorker", "Counts stock per SKU and asks for a restock when it runs low.", state=state
    )
    worker.on_command("stock/restock", handle_stock_restock)
    worker.on_command("orders/place", handle_orders_place_2)
    worker.set_periodic_work(request_restocks, every=1.0)
    return worker
