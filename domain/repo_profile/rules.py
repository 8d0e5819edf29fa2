"""Tables that map dependencies, images and configuration text to frameworks and datastores."""

from __future__ import annotations

import re

# (ecosystem, dependency name or prefix ending in "/") -> framework
FRAMEWORK_DEPENDENCIES: dict[tuple[str, str], str] = {
    ("npm", "@nestjs/core"): "nestjs",
    ("npm", "express"): "express",
    ("npm", "fastify"): "fastify",
    ("npm", "koa"): "koa",
    ("npm", "@hapi/hapi"): "hapi",
    ("npm", "@apollo/server"): "apollo",
    ("npm", "apollo-server"): "apollo",
    ("npm", "react"): "react",
    ("npm", "next"): "next",
    ("npm", "vue"): "vue",
    ("npm", "nuxt"): "nuxt",
    ("npm", "@angular/core"): "angular",
    ("npm", "svelte"): "svelte",
    ("npm", "@sveltejs/kit"): "sveltekit",
    ("npm", "@remix-run/react"): "remix",
    ("npm", "gatsby"): "gatsby",
    ("npm", "react-native"): "react-native",
    ("npm", "expo"): "expo",
    ("npm", "@ionic/core"): "ionic",
    ("npm", "@capacitor/core"): "ionic",
    ("npm", "electron"): "electron",
    ("composer", "laravel/framework"): "laravel",
    ("composer", "symfony/framework-bundle"): "symfony",
    ("composer", "symfony/symfony"): "symfony",
    ("composer", "slim/slim"): "slim",
    ("composer", "cakephp/cakephp"): "cakephp",
    ("composer", "yiisoft/yii2"): "yii",
    ("composer", "codeigniter4/framework"): "codeigniter",
    ("pypi", "fastapi"): "fastapi",
    ("pypi", "django"): "django",
    ("pypi", "flask"): "flask",
    ("pypi", "starlette"): "starlette",
    ("pypi", "aiohttp"): "aiohttp",
    ("pypi", "tornado"): "tornado",
    ("pypi", "sanic"): "sanic",
    ("pypi", "pyramid"): "pyramid",
    ("pub", "flutter"): "flutter",
    ("go", "github.com/gin-gonic/gin"): "gin",
    ("go", "github.com/labstack/echo/"): "echo",
    ("go", "github.com/gofiber/fiber/"): "fiber",
    ("maven", "spring-boot-starter-web"): "spring",
    ("maven", "spring-boot-starter-webflux"): "spring",
    ("gem", "rails"): "rails",
    ("gem", "sinatra"): "sinatra",
}

BACKEND_FRAMEWORKS = frozenset(
    {
        "nestjs",
        "express",
        "fastify",
        "koa",
        "hapi",
        "apollo",
        "laravel",
        "symfony",
        "slim",
        "cakephp",
        "yii",
        "codeigniter",
        "fastapi",
        "django",
        "flask",
        "starlette",
        "aiohttp",
        "tornado",
        "sanic",
        "pyramid",
        "gin",
        "echo",
        "fiber",
        "spring",
        "rails",
        "sinatra",
    }
)
# Most specific first: a Next.js app also depends on react.
FRONTEND_FRAMEWORKS = ("next", "nuxt", "remix", "gatsby", "sveltekit", "angular", "vue", "svelte", "react")
MOBILE_FRAMEWORKS = ("react-native", "expo", "flutter", "ionic")

DATABASE_DEPENDENCIES: dict[tuple[str, str], str] = {
    ("npm", "mysql"): "mysql",
    ("npm", "mysql2"): "mysql",
    ("npm", "pg"): "postgresql",
    ("npm", "pg-promise"): "postgresql",
    ("npm", "postgres"): "postgresql",
    ("npm", "mongoose"): "mongodb",
    ("npm", "mongodb"): "mongodb",
    ("npm", "redis"): "redis",
    ("npm", "ioredis"): "redis",
    ("npm", "@elastic/elasticsearch"): "elasticsearch",
    ("npm", "elasticsearch"): "elasticsearch",
    ("npm", "sqlite3"): "sqlite",
    ("npm", "better-sqlite3"): "sqlite",
    ("npm", "mssql"): "mssql",
    ("npm", "oracledb"): "oracle",
    ("npm", "cassandra-driver"): "cassandra",
    ("npm", "neo4j-driver"): "neo4j",
    ("npm", "@aws-sdk/client-dynamodb"): "dynamodb",
    ("pypi", "asyncpg"): "postgresql",
    ("pypi", "psycopg"): "postgresql",
    ("pypi", "psycopg2"): "postgresql",
    ("pypi", "psycopg2-binary"): "postgresql",
    ("pypi", "pg8000"): "postgresql",
    ("pypi", "pymysql"): "mysql",
    ("pypi", "mysqlclient"): "mysql",
    ("pypi", "aiomysql"): "mysql",
    ("pypi", "mysql-connector-python"): "mysql",
    ("pypi", "pymongo"): "mongodb",
    ("pypi", "motor"): "mongodb",
    ("pypi", "mongoengine"): "mongodb",
    ("pypi", "redis"): "redis",
    ("pypi", "elasticsearch"): "elasticsearch",
    ("pypi", "cassandra-driver"): "cassandra",
    ("pypi", "neo4j"): "neo4j",
    ("composer", "predis/predis"): "redis",
    ("composer", "mongodb/mongodb"): "mongodb",
    ("composer", "elasticsearch/elasticsearch"): "elasticsearch",
    ("go", "github.com/lib/pq"): "postgresql",
    ("go", "github.com/jackc/pgx/"): "postgresql",
    ("go", "github.com/go-sql-driver/mysql"): "mysql",
    ("go", "go.mongodb.org/mongo-driver"): "mongodb",
    ("go", "github.com/redis/go-redis/"): "redis",
    ("go", "github.com/go-redis/redis/"): "redis",
    ("gem", "pg"): "postgresql",
    ("gem", "mysql2"): "mysql",
    ("gem", "mongoid"): "mongodb",
    ("gem", "redis"): "redis",
    ("maven", "postgresql"): "postgresql",
    ("maven", "mysql-connector-java"): "mysql",
    ("maven", "mysql-connector-j"): "mysql",
}

# Checked in order against a compose image name without registry or tag.
IMAGE_DATABASES: tuple[tuple[str, str], ...] = (
    ("postgis", "postgresql"),
    ("postgres", "postgresql"),
    ("mariadb", "mariadb"),
    ("mysql", "mysql"),
    ("mongo", "mongodb"),
    ("redis", "redis"),
    ("elasticsearch", "elasticsearch"),
    ("opensearch", "opensearch"),
    ("mssql", "mssql"),
    ("cassandra", "cassandra"),
    ("neo4j", "neo4j"),
    ("memcached", "memcached"),
    ("clickhouse", "clickhouse"),
)

# Patterns in configuration text (ORM configs, .env examples, framework database configs).
CONFIG_DATABASE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"\b(postgres(?:ql)?|mysql|mariadb|mongodb|rediss?|sqlite|mssql)(?:\+[\w]+)?://"),
    re.compile(r"""provider\s*=\s*["'](postgresql|mysql|sqlite|mongodb|sqlserver|cockroachdb)["']"""),
    re.compile(r"""["']?type["']?\s*:\s*["'](mysql|mariadb|postgres|sqlite|mongodb|mssql)["']"""),
    re.compile(r"""DB_(?:CONNECTION|TYPE)["']?\s*[,=]\s*["']?(mysql|pgsql|sqlite|sqlsrv|mongodb)\b"""),
    re.compile(r"""\b(mysql|pgsql|sqlite|sqlsrv):(?:host|dbname)="""),
    re.compile(r"django\.db\.backends\.(postgresql|mysql|sqlite3|oracle)"),
)

DATABASE_ALIASES = {
    "postgres": "postgresql",
    "pgsql": "postgresql",
    "cockroachdb": "postgresql",
    "rediss": "redis",
    "sqlite3": "sqlite",
    "sqlsrv": "mssql",
    "sqlserver": "mssql",
}


def lookup(table: dict[tuple[str, str], str], ecosystem: str, name: str) -> str | None:
    """The value for a dependency, matching exact names and "prefix/" entries."""
    found = table.get((ecosystem, name))
    if found is not None:
        return found
    for (eco, key), value in table.items():
        if eco == ecosystem and key.endswith("/") and name.startswith(key):
            return value
    return None
