<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru">
    <context>
        <name>CameraPreview</name>
        <message>
            <source>Camera picture is not available. Hold your code up anyway.</source>
            <translation>Изображение с камеры недоступно. Всё равно поднесите код к камере.</translation>
        </message>
    </context>
    <context>
        <name>CheckingScreen</name>
        <message>
            <source>Checking your code…</source>
            <translation>Проверяем ваш код…</translation>
        </message>
        <message>
            <source>This takes a moment.</source>
            <translation>Это займёт несколько секунд.</translation>
        </message>
    </context>
    <context>
        <name>CodeEntryScreen</name>
        <message>
            <source>Type your pickup code</source>
            <translation>Введите код получения</translation>
        </message>
        <message>
            <source>The 8-digit code is in your parcel message.</source>
            <translation>8-значный код указан в сообщении о посылке.</translation>
        </message>
        <message>
            <source>Open my door</source>
            <translation>Открыть ячейку</translation>
        </message>
        <message>
            <source>Back</source>
            <translation>Назад</translation>
        </message>
        <message>
            <source>Code typed so far</source>
            <translation>Введённый код</translation>
        </message>
    </context>
    <context>
        <name>Countdown</name>
        <message numerus="yes">
            <source>Back to the start in %n s. Touch the screen to stay.</source>
            <translation>
                <numerusform>Возврат на главный экран через %n с. Коснитесь экрана, чтобы остаться.</numerusform>
                <numerusform>Возврат на главный экран через %n с. Коснитесь экрана, чтобы остаться.</numerusform>
                <numerusform>Возврат на главный экран через %n с. Коснитесь экрана, чтобы остаться.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>DoneScreen</name>
        <message>
            <source>Thank you!</source>
            <translation>Спасибо!</translation>
        </message>
        <message>
            <source>The door is closed. Have a nice day.</source>
            <translation>Ячейка закрыта. Хорошего дня!</translation>
        </message>
        <message numerus="yes">
            <source>Forgot something? Reopen door %1 (%n s)</source>
            <translation>
                <numerusform>Что-то забыли? Открыть ячейку %1 ещё раз (%n с)</numerusform>
                <numerusform>Что-то забыли? Открыть ячейку %1 ещё раз (%n с)</numerusform>
                <numerusform>Что-то забыли? Открыть ячейку %1 ещё раз (%n с)</numerusform>
            </translation>
        </message>
        <message>
            <source>Finish</source>
            <translation>Завершить</translation>
        </message>
    </context>
    <context>
        <name>DoorOpenScreen</name>
        <message>
            <source>Door %1 of %2 for your code</source>
            <translation>Ячейка %1 из %2 по вашему коду</translation>
        </message>
        <message>
            <source>Opening door %1…</source>
            <translation>Открываем ячейку %1…</translation>
        </message>
        <message>
            <source>The door will spring open in a moment.</source>
            <translation>Дверца сейчас откроется.</translation>
        </message>
        <message>
            <source>Door %1 is still open</source>
            <translation>Ячейка %1 всё ещё открыта</translation>
        </message>
        <message>
            <source>Please close the door firmly. Staff have been notified.</source>
            <translation>Пожалуйста, плотно закройте дверцу. Мы сообщили персоналу.</translation>
        </message>
        <message>
            <source>Please take your parcel and close the door.</source>
            <translation>Пожалуйста, заберите посылку и закройте дверцу.</translation>
        </message>
        <message>
            <source>Door %1 is open</source>
            <translation>Ячейка %1 открыта</translation>
        </message>
        <message>
            <source>Take your parcel and close the door when you are done.</source>
            <translation>Заберите посылку и закройте за собой дверцу.</translation>
        </message>
        <message>
            <source>Map of the locker with your door marked</source>
            <translation>Схема постамата, ваша ячейка отмечена</translation>
        </message>
    </context>
    <context>
        <name>DoorPosition</name>
        <message>
            <source>top left</source>
            <translation>вверху слева</translation>
        </message>
        <message>
            <source>top middle</source>
            <translation>вверху по центру</translation>
        </message>
        <message>
            <source>top right</source>
            <translation>вверху справа</translation>
        </message>
        <message>
            <source>middle left</source>
            <translation>посередине слева</translation>
        </message>
        <message>
            <source>in the middle</source>
            <translation>в центре</translation>
        </message>
        <message>
            <source>middle right</source>
            <translation>посередине справа</translation>
        </message>
        <message>
            <source>lower left</source>
            <translation>внизу слева</translation>
        </message>
        <message>
            <source>lower middle</source>
            <translation>внизу по центру</translation>
        </message>
        <message>
            <source>lower right</source>
            <translation>внизу справа</translation>
        </message>
        <message>
            <source>Column %1, row %2 from the top: %3</source>
            <translation>Столбец %1, ряд %2 сверху: %3</translation>
        </message>
    </context>
    <context>
        <name>ErrorScreen</name>
        <message>
            <source>Try again</source>
            <translation>Попробовать снова</translation>
        </message>
        <message>
            <source>Done</source>
            <translation>Готово</translation>
        </message>
        <message>
            <source>This QR code is not a pickup code</source>
            <translation>Этот QR-код не является кодом получения</translation>
        </message>
        <message>
            <source>Scan the QR code from your “parcel is ready” message, or type the 8-digit code.</source>
            <translation>Отсканируйте QR-код из сообщения «Посылка ждёт вас» или введите 8-значный код.</translation>
        </message>
        <message>
            <source>That is not a pickup code</source>
            <translation>Это не код получения</translation>
        </message>
        <message>
            <source>A pickup code has 8 digits. You find it in your parcel message.</source>
            <translation>Код получения состоит из 8 цифр. Он указан в сообщении о посылке.</translation>
        </message>
        <message>
            <source>Your parcel has not arrived yet</source>
            <translation>Ваша посылка ещё не прибыла</translation>
        </message>
        <message>
            <source>We will send you a message as soon as it is in the locker.</source>
            <translation>Мы пришлём сообщение, как только она окажется в постамате.</translation>
        </message>
        <message>
            <source>d MMMM yyyy</source>
            <comment>date format of the expiry date</comment>
            <translation>d MMMM yyyy</translation>
        </message>
        <message>
            <source>The pickup time ended on %1. The parcel goes back to the sender.</source>
            <translation>Срок хранения истёк %1. Посылка будет возвращена отправителю.</translation>
        </message>
        <message>
            <source>The pickup time has ended. The parcel goes back to the sender.</source>
            <translation>Срок хранения истёк. Посылка будет возвращена отправителю.</translation>
        </message>
        <message>
            <source>This code has expired</source>
            <translation>Срок действия кода истёк</translation>
        </message>
        <message>
            <source>This parcel was already picked up</source>
            <translation>Эту посылку уже получили</translation>
        </message>
        <message>
            <source>If it was not you, please contact support.</source>
            <translation>Если это были не вы, обратитесь в службу поддержки.</translation>
        </message>
        <message>
            <source>This delivery was cancelled</source>
            <translation>Эта доставка отменена</translation>
        </message>
        <message>
            <source>The parcel is not in this locker. Please contact the sender.</source>
            <translation>Посылки нет в этом постамате. Пожалуйста, свяжитесь с отправителем.</translation>
        </message>
        <message>
            <source>Your parcel is in another locker</source>
            <translation>Ваша посылка в другом постамате</translation>
        </message>
        <message>
            <source>Please go to the locker %1 to pick it up.</source>
            <translation>Заберите её в постамате %1.</translation>
        </message>
        <message>
            <source>Door %1 did not open</source>
            <translation>Ячейка %1 не открылась</translation>
        </message>
        <message>
            <source>Please try once more.</source>
            <translation>Пожалуйста, попробуйте ещё раз.</translation>
        </message>
        <message>
            <source>Try the door again</source>
            <translation>Открыть ещё раз</translation>
        </message>
        <message>
            <source>We have reported the fault. Your parcel is safe.</source>
            <translation>Мы сообщили о неисправности. Ваша посылка в сохранности.</translation>
        </message>
        <message>
            <source>Open my next door</source>
            <translation>Открыть следующую ячейку</translation>
        </message>
        <message numerus="yes">
            <source>Please try again in %n minute(s).</source>
            <translation>
                <numerusform>Попробуйте снова через %n минуту.</numerusform>
                <numerusform>Попробуйте снова через %n минуты.</numerusform>
                <numerusform>Попробуйте снова через %n минут.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Please try again in %n second(s).</source>
            <translation>
                <numerusform>Попробуйте снова через %n секунду.</numerusform>
                <numerusform>Попробуйте снова через %n секунды.</numerusform>
                <numerusform>Попробуйте снова через %n секунд.</numerusform>
            </translation>
        </message>
        <message>
            <source>Too many wrong codes</source>
            <translation>Слишком много неверных кодов</translation>
        </message>
        <message>
            <source>For your security, code entry is paused. %1</source>
            <translation>В целях безопасности ввод кода временно приостановлен. %1</translation>
        </message>
        <message>
            <source>We could not find this code</source>
            <translation>Мы не нашли такой код</translation>
        </message>
        <message>
            <source>Check the 8 digits in your parcel message and try again.</source>
            <translation>Проверьте 8 цифр в сообщении о посылке и попробуйте снова.</translation>
        </message>
        <message>
            <source>Need help? %1</source>
            <translation>Нужна помощь? %1</translation>
        </message>
    </context>
    <context>
        <name>IdleScreen</name>
        <message>
            <source>Parcel pickup</source>
            <translation>Получение посылок</translation>
        </message>
        <message>
            <source>Your parcel is waiting in one of these lockers.</source>
            <translation>Ваша посылка ждёт вас в одной из этих ячеек.</translation>
        </message>
        <message>
            <source>Scan your QR code here</source>
            <translation>Сканируйте QR-код здесь</translation>
        </message>
        <message>
            <source>Show camera</source>
            <translation>Показать камеру</translation>
        </message>
        <message>
            <source>Type your code</source>
            <translation>Ввести код</translation>
        </message>
        <message>
            <source>Courier / service</source>
            <translation>Курьер / сервис</translation>
        </message>
        <message>
            <source>The camera is here</source>
            <translation>Камера находится здесь</translation>
        </message>
    </context>
    <context>
        <name>Keypad</name>
        <message>
            <source>Clear</source>
            <translation>Стереть</translation>
        </message>
        <message>
            <source>Delete last digit</source>
            <translation>Удалить последнюю цифру</translation>
        </message>
    </context>
    <context>
        <name>OfflineBadge</name>
        <message>
            <source>Offline: pickup still works</source>
            <translation>Нет связи: выдача работает</translation>
        </message>
    </context>
    <context>
        <name>OutOfServiceScreen</name>
        <message>
            <source>Out of service</source>
            <translation>Не работает</translation>
        </message>
        <message>
            <source>This locker cannot open doors right now. Our team has been told and will fix it. Your parcel is safe; please come back later.</source>
            <translation>Постамат сейчас не может открывать ячейки. Мы уже знаем о проблеме и устраним её. Ваша посылка в сохранности, пожалуйста, приходите позже.</translation>
        </message>
        <message>
            <source>Need help? %1</source>
            <translation>Нужна помощь? %1</translation>
        </message>
    </context>
    <context>
        <name>ScanScreen</name>
        <message>
            <source>Hold your QR code up to the camera</source>
            <translation>Поднесите QR-код к камере</translation>
        </message>
        <message>
            <source>Turn up your phone's brightness. The door opens as soon as the code is read.</source>
            <translation>Увеличьте яркость экрана телефона. Ячейка откроется, как только код будет считан.</translation>
        </message>
        <message>
            <source>Back</source>
            <translation>Назад</translation>
        </message>
        <message>
            <source>Type the code instead</source>
            <translation>Ввести код вручную</translation>
        </message>
    </context>
</TS>
