"""nestjs.logger-without-context and nestjs.dto-missing-validation."""

from __future__ import annotations

from domain.analyzers import nestjs
from tests.domain.analyzers.helpers import EMPTY, added, changed, rules_of


def test_logger_without_context() -> None:
    file = added(
        "src/orders/orders.service.ts",
        """
        import { Injectable, Logger } from '@nestjs/common';
        @Injectable()
        export class OrdersService {
          private readonly logger = new Logger();
          private readonly named = new Logger(OrdersService.name);
        }
        """,
    )
    findings = nestjs.analyze(file, EMPTY)
    assert rules_of(findings) == [("nestjs.logger-without-context", 4)]
    assert "OrdersService.name" not in findings[0].message
    assert findings[0].suggestion and "new Logger(MyService.name)" in findings[0].suggestion


def test_logger_from_another_library_is_left_alone() -> None:
    file = added(
        "src/x.ts",
        """
        import { Logger } from 'winston';
        const log = new Logger();
        """,
    )
    assert nestjs.analyze(file, EMPTY) == []


def test_input_dto_field_without_decorator() -> None:
    file = added(
        "src/user/dto/create-user.dto.ts",
        """
        import { IsEmail, IsString } from 'class-validator';
        export class CreateUserDto {
          @IsString()
          readonly username: string;
          @IsEmail()
          readonly email: string;
          readonly password: string;
          static readonly VERSION = 1;
        }
        """,
    )
    findings = nestjs.analyze(file, EMPTY)
    assert rules_of(findings) == [("nestjs.dto-missing-validation", 7)]
    assert "CreateUserDto.password" in findings[0].message
    assert findings[0].severity == "medium"


def test_response_dto_without_validation_is_not_flagged() -> None:
    # Like lujakob's `UserData`-style DTOs: plain shapes, nothing validated anywhere.
    file = added(
        "src/user/dto/user-profile.dto.ts",
        """
        export class UserProfileDto {
          readonly username: string;
          readonly bio: string;
        }
        """,
    )
    assert nestjs.analyze(file, EMPTY) == []


def test_dto_in_a_hunk_uses_sibling_decorators_as_evidence() -> None:
    file = changed(
        "src/article/dto/article-filter.dto.ts",
        """
        . export class ArticleFilterDto {
        .   @IsOptional()
        .   readonly tag?: string;
        +   readonly author?: string;
        . }
        """,
        start=3,
    )
    assert rules_of(nestjs.analyze(file, EMPTY)) == [("nestjs.dto-missing-validation", 6)]
