"""Small source files for the detector tests, written for these tests (not from any repository)."""

NEST_CONTROLLER = """\
import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';

@Controller('articles')
export class ArticleController {
  @Get()
  findAll() {}

  @Get('feed')
  getFeed() {}

  @Post(':slug/favorite')
  favorite(@Param('slug') slug: string) {}

  @Delete(':slug')
  remove() {}
}

@Controller({ path: 'tags', version: '1' })
export class TagController {
  @Get()
  findAll() {}
}
"""
NEST_MAIN = "const app = await NestFactory.create(AppModule);\napp.setGlobalPrefix('api');\n"
FASTAPI_ROUTER = """\
from fastapi import APIRouter, Depends

router = APIRouter(
    prefix="/users",
    tags=["users"],
)


@router.get("/{user_id}", response_model=User)
async def read_user(user_id: int) -> User: ...


@router.post("", status_code=201)
async def create_user() -> User: ...


@router.api_route("/sync", methods=["PUT", "PATCH"])
async def sync() -> None: ...
"""
FLASK_APP = """\
from flask import Blueprint

bp = Blueprint("shop", __name__, url_prefix="/shop")

@bp.route("/items", methods=["GET", "POST"])
def items(): ...

@bp.route("/about")
def about(): ...
"""
LARAVEL_ROUTES = """\
<?php

use Illuminate\\Support\\Facades\\Route;

Route::get('/users', [UserController::class, 'index']);
Route::middleware('auth:sanctum')->delete('/users/{id}', [UserController::class, 'destroy']);
Route::prefix('admin')->group(function () {
    Route::post('reports', [ReportController::class, 'store']);
    Route::match(['get', 'post'], 'search', [SearchController::class, 'run']);
});
Route::apiResource('photos', PhotoController::class);
Route::get($dynamic, 'X@y');
"""
EXPRESS_SERVER = """\
const express = require('express');
const app = express();
const usersRouter = express.Router();
usersRouter.get('/:id', getUser);
app.post('/orders', createOrder);
app.get('port');
cache.get('/not-a-route');
"""
PUBSUB_PUBLISHER = """\
import { PubSub } from '@google-cloud/pubsub';

export const ORDER_CREATED = 'orders.created';
const pubsub = new PubSub();

export async function announce(order: Order) {
  await pubsub.topic(ORDER_CREATED).publishMessage({ json: order });
}

export async function cancel(id: string) {
  await pubsub.topic(`orders.${id}`).publishMessage({ json: { id } });
}
"""
PUBSUB_SUBSCRIBER = """\
const { PubSub } = require('@google-cloud/pubsub');
const pubsub = new PubSub();

const subscription = pubsub.topic('payments.settled').subscription('orders-payments-settled');
subscription.on('message', (message) => {
  handle(message.data);
  message.ack();
});
"""
PUBSUB_PYTHON = """\
from google.cloud import pubsub_v1

TOPIC = "invoices.issued"
publisher = pubsub_v1.PublisherClient()
topic_path = publisher.topic_path(PROJECT_ID, TOPIC)
publisher.publish(topic_path, data)

subscriber = pubsub_v1.SubscriberClient()
subscription_path = subscriber.subscription_path(PROJECT_ID, "invoices-mailer")
"""
KAFKA_JS = """\
const { Kafka } = require('kafkajs');
await producer.send({
  topic: 'shipments',
  messages: [{ value: JSON.stringify(s) }],
});
await consumer.subscribe({ topic: 'returns', fromBeginning: true });
await consumer.subscribe({ topics: ['refunds', 'chargebacks'] });
res.send('ok');
"""
RABBIT_JS = """\
const amqp = require('amqplib');
const QUEUE = 'emails';
await channel.assertQueue(QUEUE);
channel.sendToQueue(QUEUE, Buffer.from(body));
await channel.assertQueue('bounces');
channel.consume('bounces', onBounce);
channel.publish('audit', 'user.created', payload);
"""
RABBIT_PHP = """\
<?php
use PhpAmqpLib\\Connection\\AMQPStreamConnection;
$channel->queue_declare('thumbnails', false, true, false, false);
$channel->basic_publish($msg, '', 'thumbnails');
$channel->basic_consume('resized', '', false, true, false, false, $callback);
"""
