"""The shop's commands."""

from dataclasses import dataclass

from petrock_runtime import Command


@dataclass(frozen=True)
class PlaceOrder(Command, name="orders/place"):
    order_id: str
    sku: str
    quantity: int


@dataclass(frozen=True)
class CancelOrder(Command, name="orders/cancel"):
    order_id: str


@dataclass(frozen=True)
class ShipOrder(Command, name="orders/ship"):
    order_id: str


@dataclass(frozen=True)
class Restock(Command, name="stock/restock"):
    sku: str
    quantity: int


@dataclass(frozen=True)
class RequestRestock(Command, name="stock/request-restock"):
    sku: str
